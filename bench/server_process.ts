// Starts the chat app (or the bare reference server) as a separate, pinned process.
import { pin_prefix, SERVER_CORE } from "./pinning.ts";
import { sleep } from "./timing.ts";

const PROJECT_ROOT = new URL("../", import.meta.url).pathname;
const APP_SCRIPT = new URL("../main.ts", import.meta.url).pathname;
const BARE_SCRIPT = new URL("./bare_server.ts", import.meta.url).pathname;

/** A running server child process. */
export interface ServerProcess {
  name: string;
  /** Current process id (changes on restart). */
  readonly pid: number;
  base: string;
  log_path: string;
  /** Inspector port (for forcing GC before memory readings), or null. */
  inspect_port: number | null;
  /** Folder the server writes its CPU profile to on exit (BENCH_CPU_PROF=1), else null. */
  prof_dir: string | null;
  /** Lines the server wrote to stderr so far (errors and warnings). */
  stderr_lines(): number;
  /** Stops the process and starts it again on the same port and data (a fresh heap). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** How to start one server. */
export interface ServerSpec {
  name: string;
  kind: "app" | "bare";
  /** Postgres URL, or null for embedded PGlite in a fresh temporary folder. */
  db_url: string | null;
  pin: boolean;
  log_dir: string;
  /** Open the inspector on a free loopback port (to force GC before memory readings). */
  inspect: boolean;
  /** When set, the server runs with --cpu-prof and writes its profile here on exit. */
  cpu_prof_dir: string | null;
}

const running = new Set<ServerProcess>();

/** Stops every server this process started and has not stopped yet (deadline, Ctrl-C). */
export async function stop_all_servers(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop()));
}

/** A free loopback port (there is a small race until the child binds it). */
export function free_port(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

function child_env(spec: ServerSpec, port: number, data_dir: string | null) {
  const env = Deno.env.toObject();
  for (const key of ["DATABASE_URL", "DATA_DIR", "ORIGIN", "INSTANCE_ID", "BENCH_PINNED"]) {
    delete env[key];
  }
  Object.assign(env, { PORT: String(port), HOST: "127.0.0.1", SEND_RATE: "100000" });
  if (spec.db_url) env.DATABASE_URL = spec.db_url;
  if (data_dir) env.DATA_DIR = data_dir;
  if (spec.kind === "app") env.INSTANCE_ID = spec.name;
  return env;
}

/** Inspector chatter on stderr, which is not a server problem. */
const INSPECTOR_LINE = /^(Debugger (listening|session)|Visit chrome:\/\/inspect)/;

async function drain_to_file(
  stream: ReadableStream<Uint8Array>,
  path: string,
  on_line: (line: string) => void,
): Promise<void> {
  const file = await Deno.open(path, { create: true, append: true });
  const decoder = new TextDecoder();
  let partial = "";
  try {
    for await (const chunk of stream) {
      const lines = (partial + decoder.decode(chunk, { stream: true })).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) on_line(line);
      await file.write(chunk);
    }
  } finally {
    file.close();
  }
}

async function wait_healthy(base: string, exited: () => boolean, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (exited()) throw new Error(`Server at ${base} exited during start`);
    try {
      const response = await fetch(`${base}/healthz`);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`Server at ${base} did not become healthy within ${ms / 1000} s`);
}

/** One live child process of a server. */
interface Child {
  pid: number;
  exited: () => boolean;
  /** SIGTERM, then SIGKILL after 8 s; resolves when the process and its logs are done. */
  end(): Promise<void>;
}

function spawn(spec: ServerSpec, args: string[], port: number, data_dir: string | null) {
  const [program, ...rest] = [...pin_prefix(SERVER_CORE, spec.pin), Deno.execPath(), ...args];
  return new Deno.Command(program, {
    args: rest,
    cwd: PROJECT_ROOT,
    env: child_env(spec, port, data_dir),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

function launch(
  spec: ServerSpec,
  args: string[],
  where: { port: number; data_dir: string | null; log_path: string },
  on_error_line: () => void,
): Child {
  const child = spawn(spec, args, where.port, where.data_dir);
  let exited = false;
  const status = child.status.then((s) => (exited = true, s));
  const drained = Promise.all([
    drain_to_file(child.stdout, where.log_path, () => {}),
    drain_to_file(child.stderr, where.log_path, (line) => {
      if (line && !INSPECTOR_LINE.test(line)) on_error_line();
    }),
  ]).catch(() => {});
  return {
    pid: child.pid,
    exited: () => exited,
    async end() {
      if (!exited) {
        child.kill("SIGTERM");
        const ended = await Promise.race([status.then(() => true), sleep(8000).then(() => false)]);
        if (!ended) child.kill("SIGKILL");
      }
      await status;
      await drained;
    },
  };
}

/** Starts the app (`deno run -A main.ts`) or the bare server, pinned to core 0; waits for /healthz. */
export async function start_server(spec: ServerSpec): Promise<ServerProcess> {
  const port = free_port();
  const data_dir = spec.kind === "app" && !spec.db_url
    ? await Deno.makeTempDir({ prefix: "chat_bench_" })
    : null;
  const prof_dir = spec.cpu_prof_dir ? `${spec.cpu_prof_dir}/${spec.name}` : null;
  if (prof_dir) await Deno.mkdir(prof_dir, { recursive: true });
  const inspect_port = spec.inspect ? free_port() : null;
  const args = [
    "run",
    "-A",
    ...(prof_dir ? ["--cpu-prof", `--cpu-prof-dir=${prof_dir}`] : []),
    ...(inspect_port ? [`--inspect=127.0.0.1:${inspect_port}`] : []),
    spec.kind === "app" ? APP_SCRIPT : BARE_SCRIPT,
  ];
  const log_path = `${spec.log_dir}/${spec.name}.log`;
  await Deno.writeTextFile(log_path, `# deno ${args.join(" ")} (port ${port})\n`);
  const base = `http://127.0.0.1:${port}`;
  let errors = 0;
  let child: Child | null = null;
  const where = { port, data_dir, log_path };
  const cleanup = async () => {
    await child?.end();
    if (data_dir) await Deno.remove(data_dir, { recursive: true }).catch(() => {});
  };
  const begin = async () => {
    child = launch(spec, args, where, () => errors++);
    const current = child;
    await wait_healthy(base, () => current.exited(), 60_000);
  };
  const handle: ServerProcess = {
    name: spec.name,
    get pid() {
      return child?.pid ?? 0;
    },
    base,
    log_path,
    prof_dir,
    inspect_port,
    stderr_lines: () => errors,
    async restart() {
      await child?.end();
      await begin();
    },
    async stop() {
      running.delete(handle);
      await cleanup();
    },
  };
  try {
    await begin();
  } catch (error) {
    await cleanup();
    throw new Error(`${(error as Error).message}; see ${log_path}`);
  }
  running.add(handle);
  return handle;
}
