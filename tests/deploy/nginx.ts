// A real nginx (Debian package `nginx`) in front of app instances, running deploy/nginx.conf
// with its TLS lines swapped for plain local ports, as an unprivileged process with its pid,
// logs and temp files in a folder of its own.
import { freePort } from "../fixtures/server.ts";

/** Where Debian's nginx lives (`apt-get install -y nginx`; .ci/run installs it). */
export const NGINX = "/usr/sbin/nginx";

/** True when nginx is installed (CI always; a developer's machine maybe not). */
export function hasNginx(): boolean {
  try {
    return Deno.statSync(NGINX).isFile;
  } catch {
    return false;
  }
}

/** `from` replaced by `to` in `text`; a `from` that is gone means the file changed shape. */
function swap(text: string, from: RegExp, to: string): string {
  if (!from.test(text)) throw new Error(`deploy/nginx.conf no longer has ${from}`);
  return text.replace(from, to);
}

/**
 * deploy/nginx.conf for a test: the upstream lists `upstreams`, the HTTPS server listens on
 * `port` without TLS (on 127.0.0.1 and [::1]), the redirecting one on `redirectPort`.
 */
export function siteConfig(
  text: string,
  ports: { port: number; redirectPort: number; upstreams: number[]; readTimeout?: string },
): string {
  if (ports.readTimeout) {
    text = swap(text, /proxy_read_timeout 5m;/, `proxy_read_timeout ${ports.readTimeout};`);
  }
  const servers = ports.upstreams.map((p) => `server 127.0.0.1:${p};`).join("\n    ");
  let site = swap(text, /server 127\.0\.0\.1:8000;.*\n\s*server 127\.0\.0\.1:8001;/, servers);
  site = swap(site, /listen 80;\n\s*listen \[::\]:80;/, `listen 127.0.0.1:${ports.redirectPort};`);
  site = swap(site, /listen 443 ssl http2;\n\s*listen \[::\]:443 ssl http2;/, "");
  // [::1] too: a client there is one nginx's peer the app does not trust (TRUSTED_PROXIES).
  const listen = `listen 127.0.0.1:${ports.port};\n    listen [::1]:${ports.port};`;
  site = swap(site, /ssl_certificate .*\n\s*ssl_certificate_key .*/, listen);
  return site;
}

/** The main file: everything nginx writes stays under `dir`. */
function mainConfig(dir: string): string {
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    .map((kind) => `${kind}_temp_path ${dir}/${kind};`).join("\n  ");
  return `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log ${dir}/access.log;
  # As a server-wide setting might: compressing a stream holds its bytes until a buffer fills,
  # unless the proxied answer is unbuffered (X-Accel-Buffering: no flushes each event).
  gzip on;
  gzip_types text/event-stream;
  ${temp}
  include ${dir}/site.conf;
}
`;
}

/** Runs nginx as `nobody` when the tests run as root, so nothing here runs privileged. */
async function command(dir: string): Promise<string[]> {
  const args = [NGINX, "-p", dir, "-c", `${dir}/nginx.conf`, "-e", `${dir}/error.log`];
  args.push("-g", "daemon off;");
  if (Deno.uid() !== 0) return args;
  const id = async (flag: string) =>
    Number(new TextDecoder().decode(
      (await new Deno.Command("id", { args: [flag, "nobody"] })
        .output()).stdout,
    ));
  const [uid, gid] = [await id("-u"), await id("-g")];
  for await (const entry of Deno.readDir(dir)) await Deno.chown(`${dir}/${entry.name}`, uid, gid);
  await Deno.chown(dir, uid, gid);
  return ["setpriv", `--reuid=${uid}`, `--regid=${gid}`, "--clear-groups", ...args];
}

/** Waits until `port` accepts connections, or fails with nginx's error log. */
async function listening(port: number, dir: string, exited: Promise<Deno.CommandStatus>) {
  let gone = false;
  exited.then(() => gone = true);
  for (const deadline = Date.now() + 10_000; Date.now() < deadline && !gone;) {
    try {
      return (await Deno.connect({ hostname: "127.0.0.1", port })).close();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const errors = await Deno.readTextFile(`${dir}/error.log`).catch(() => "(no error log)");
  throw new Error(`nginx did not start listening on ${port}:\n${errors}`);
}

/**
 * nginx in front of the instances on `upstreams` (`readTimeout` shortens the server-wide
 * proxy_read_timeout, for a test of what outlives it); disposing stops it and removes its folder.
 */
export async function startNginx(upstreams: number[], port = freePort(), readTimeout?: string) {
  const dir = await Deno.makeTempDir({ prefix: "chat-nginx-" });
  const text = await Deno.readTextFile(new URL("../../deploy/nginx.conf", import.meta.url));
  const redirectPort = freePort();
  const site = siteConfig(text, { port, redirectPort, upstreams, readTimeout });
  await Deno.writeTextFile(`${dir}/site.conf`, site);
  await Deno.writeTextFile(`${dir}/nginx.conf`, mainConfig(dir));
  const [program, ...args] = await command(dir);
  const child = new Deno.Command(program, { args, stdout: "null", stderr: "null" }).spawn();
  const kill = (signal: Deno.Signal) => {
    try {
      child.kill(signal);
    } catch { /* already gone */ }
  };
  const stop = async () => {
    kill("SIGTERM");
    const late = setTimeout(() => kill("SIGKILL"), 5000);
    await child.status.finally(() => clearTimeout(late));
    await Deno.remove(dir, { recursive: true });
  };
  try {
    await listening(port, dir, child.status);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    base: `http://127.0.0.1:${port}`,
    redirectBase: `http://127.0.0.1:${redirectPort}`,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
