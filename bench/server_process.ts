// Starts the chat app (or the bare reference server) as a separate, pinned process.
import { type Child, launch } from "./child.ts";
import { sleep } from "./timing.ts";

/** This repository: the default checkout the app is started from (`--app-dir` picks another). */
export const APP_DIR = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
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
  /** App servers run `<app_dir>/main.ts` with that folder as working directory. */
  app_dir: string;
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

/** Starts the app (`deno run -A <app_dir>/main.ts`) or the bare server, pinned to core 0; waits for /healthz. */
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
    spec.kind === "app" ? `${spec.app_dir}/main.ts` : BARE_SCRIPT,
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
