// One server child process: its environment, pinning, and stdout/stderr drained to a log file.
import { pin_prefix, SERVER_CORE } from "./pinning.ts";
import type { ServerSpec } from "./server_process.ts";
import { sleep } from "./timing.ts";

const PROJECT_ROOT = new URL("../", import.meta.url).pathname;

function child_env(spec: ServerSpec, port: number, data_dir: string | null) {
  const env = Deno.env.toObject();
  for (const key of ["DATABASE_URL", "DATA_DIR", "ORIGIN", "INSTANCE_ID", "BENCH_PINNED"]) {
    delete env[key];
  }
  Object.assign(env, {
    PORT: String(port),
    HOST: "127.0.0.1",
    SEND_RATE: "100000",
    GUEST_LIMIT: "0",
  });
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

/** One live child process of a server. */
export interface Child {
  pid: number;
  exited: () => boolean;
  /** SIGTERM, then SIGKILL after 8 s; resolves when the process and its logs are done. */
  end(): Promise<void>;
}

function spawn(spec: ServerSpec, args: string[], port: number, data_dir: string | null) {
  const [program, ...rest] = [...pin_prefix(SERVER_CORE, spec.pin), Deno.execPath(), ...args];
  return new Deno.Command(program, {
    args: rest,
    // The app runs in its own checkout (its deno.json and node_modules); the bare server here.
    cwd: spec.kind === "app" ? spec.app_dir : PROJECT_ROOT,
    env: child_env(spec, port, data_dir),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Spawns the server and drains its output to `log_path`; counts stderr lines as errors. */
export function launch(
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
