// A private, throwaway Postgres cluster per test, so a test can restart or crash its server
// without touching the shared one at 127.0.0.1:5432. Postgres refuses to run as root, so when
// the tests run as root (the usual case here and in CI) every server command runs as `postgres`.

/** Where the Postgres 15 binaries live; PG_BIN overrides it for machines laid out differently. */
const BIN = Deno.env.get("PG_BIN") ?? "/usr/lib/postgresql/15/bin";
/** How long start and restart may take before we give up with the log tail. */
const READY_TIMEOUT_MS = 30_000;

/** A running private cluster and the controls a test needs to bounce it. */
export interface Cluster {
  url: string;
  port: number;
  dir: string;
  restart(mode: "fast" | "immediate"): Promise<void>;
  stop(mode?: "smart" | "fast" | "immediate"): Promise<void>;
  start(): Promise<void>;
  /** Pauses every server process (SIGSTOP): connections stay open and nothing answers. */
  freeze(): Promise<void>;
  /** Resumes a frozen cluster (SIGCONT). */
  thaw(): Promise<void>;
  dispose(): Promise<void>;
}

/** Quotes an argument for `su -c`, the only runner that takes a shell command line. */
function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Finds a program on PATH or in the sbin folders, which root's PATH may lack in containers. */
async function which(name: string): Promise<string | undefined> {
  const dirs = [...(Deno.env.get("PATH") ?? "").split(":"), "/usr/sbin", "/sbin", "/usr/bin"];
  for (const dir of dirs.filter(Boolean)) {
    const stat = await Deno.stat(`${dir}/${name}`).catch(() => undefined);
    if (stat?.isFile) return `${dir}/${name}`;
  }
  return undefined;
}

/** Wraps a command so it runs as `postgres` when we are root, since Postgres refuses root. */
async function asPostgres(argv: string[]): Promise<string[]> {
  if (Deno.uid() !== 0) return argv;
  const runuser = await which("runuser");
  if (runuser) return [runuser, "-u", "postgres", "--", ...argv];
  const su = await which("su");
  if (su) return [su, "postgres", "-s", "/bin/sh", "-c", argv.map(shellQuote).join(" ")];
  throw new Error(
    "pg_cluster: running as root but neither `runuser` nor `su` exists, so Postgres cannot be " +
      "started as the postgres user; install util-linux (runuser) or run the tests as non-root",
  );
}

/** Prints a command so it can be pasted into a shell to reproduce a failure. */
function shown(argv: string[]): string {
  return argv.map((arg) => /^[\w@%+=:,./-]+$/.test(arg) ? arg : shellQuote(arg)).join(" ");
}

/** Runs a command and throws one readable error (command, exit, stderr, log tail) on failure. */
async function run(argv: string[], cwd: string, logFile?: string): Promise<string> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(argv[0], { args: argv.slice(1), cwd, stdin: "null" }).output();
  } catch (err) {
    throw new Error(`pg_cluster: could not run ${shown(argv)}: ${err}`);
  }
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
  if (out.success) return text(out.stdout);
  throw new Error(
    `pg_cluster: ${shown(argv)} exited ${out.code}\n${text(out.stderr) || text(out.stdout)}` +
      (logFile ? `\n--- server log tail ---\n${await logTail(logFile)}` : ""),
  );
}

/** The end of the server log, which is where Postgres says why it would not start. */
async function logTail(logFile: string): Promise<string> {
  const log = await Deno.readTextFile(logFile).catch(() => "(no log written)");
  return log.split("\n").slice(-20).join("\n");
}

/** Asks the OS for a free port; another process could grab it first, hence start's retry. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Polls over TCP (not the socket pg_ctl checks) because tests connect through 127.0.0.1. */
async function waitReady(port: number, dir: string, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const argv = `${BIN}/pg_isready -q -h 127.0.0.1 -p ${port} -U postgres -t 1`.split(" ");
  while (Date.now() < deadline) {
    const { success } = await new Deno.Command(argv[0], { args: argv.slice(1), cwd: dir }).output();
    if (success) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `pg_cluster: ${argv.join(" ")} still failing after ${READY_TIMEOUT_MS} ms\n` +
      `--- server log tail ---\n${await logTail(logFile)}`,
  );
}

/** Creates, starts and hands back a private cluster on a free port, with trust auth for postgres. */
export async function startCluster(options: { name?: string } = {}): Promise<Cluster> {
  const label = (options.name ?? "test").replace(/[^A-Za-z0-9_-]/g, "_");
  const dir = await Deno.makeTempDir({ prefix: `pg_cluster_${label}_` });
  const data = `${dir}/data`;
  const logFile = `${dir}/server.log`;
  let port = 0;
  let running = false;
  let disposed = false;
  // pg_ctl runs as postgres, so everything it writes (data, log, socket) must be in its folder.
  if (Deno.uid() === 0) await run(["chown", "postgres:", dir], dir);

  async function pg(args: string[], withLog = true): Promise<string> {
    return await run(await asPostgres(args), dir, withLog ? logFile : undefined);
  }
  function serverOptions(): string {
    // Own socket folder so we never clash with the shared cluster's /var/run/postgresql socket.
    // fsync is off (the machine does not crash, only Postgres does: the OS keeps what was
    // written), but commits stay synchronous: an acknowledged commit must survive an
    // immediate (crash) restart, as it does in production.
    return `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 ` +
      "-c fsync=off -c full_page_writes=off -c synchronous_commit=on";
  }
  async function ctl(action: "start" | "restart", mode = "fast"): Promise<void> {
    const extra = action === "restart" ? ["-m", mode] : [];
    const flags = `-D ${data} -l ${logFile} -w -t 30`.split(" ");
    await pg([`${BIN}/pg_ctl`, action, ...extra, ...flags, "-o", serverOptions()]);
    running = true;
    await waitReady(port, dir, logFile);
  }
  async function stop(mode: "smart" | "fast" | "immediate" = "fast"): Promise<void> {
    if (!running) return;
    await pg([`${BIN}/pg_ctl`, "stop", "-D", data, "-m", mode, "-w", "-t", "30"]);
    running = false;
  }

  try {
    const flags = `-D ${data} -A trust -U postgres --no-sync -E UTF8 --locale=C`.split(" ");
    await pg([`${BIN}/initdb`, ...flags], false);
    // A port taken between freePort() and bind makes the start fail; a fresh port fixes that.
    for (let attempt = 1;; attempt++) {
      port = freePort();
      try {
        await ctl("start");
        break;
      } catch (err) {
        if (attempt >= 3 || !/could not bind|already in use/i.test(String(err))) throw err;
      }
    }
  } catch (err) {
    await stop("immediate").catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw err;
  }

  // The postmaster and its children (backends, checkpointer, walwriter…).
  async function signal(name: "STOP" | "CONT"): Promise<void> {
    const pid = (await Deno.readTextFile(`${data}/postmaster.pid`)).split("\n")[0].trim();
    await run(["sh", "-c", `kill -${name} ${pid} $(pgrep -P ${pid})`], dir);
  }

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    restart: (mode) => ctl("restart", mode),
    stop,
    start: async () => {
      if (!running) await ctl("start");
    },
    freeze: () => signal("STOP"),
    thaw: () => signal("CONT"),
    async dispose() {
      if (disposed) return;
      disposed = true;
      await signal("CONT").catch(() => {});
      await stop("immediate").catch(() => {});
      await Deno.remove(dir, { recursive: true });
    },
  };
}
