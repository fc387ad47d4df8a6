// A server process the storm stops and starts again on the same port and data, timing the
// moment its port accepts again (bench/storm.ts, bench/soak.ts). Uses bench/child.ts to
// spawn (pinned to core 0, output drained to a log).
import { type Child, launch } from "./child.ts";
import { APP_DIR, free_port, type ServerSpec } from "./server_process.ts";
import { on_path } from "./proc.ts";
import { sleep } from "./timing.ts";

const BARE_SCRIPT = new URL("./bare_server.ts", import.meta.url).pathname;

/** How one stop and start went (performance.now() ms). */
export interface Restart {
  /** SIGTERM sent. */
  term_at: number;
  /** The old process has exited. */
  exited_at: number;
  /** The new process's port listens (accepts connections): "the server answers again". */
  accept_at: number;
  /** When a TCP connect probe started then got through (later when the listen queue is full). */
  probe_at: Promise<number>;
}

/** A restartable server on a fixed port and data. */
export class StormServer {
  #child: Child | null = null;
  #errors = 0;
  readonly port = free_port();
  readonly base = `http://127.0.0.1:${this.port}`;
  readonly log_path: string;
  #data_dir: string | null = null;

  constructor(readonly spec: ServerSpec) {
    this.log_path = `${spec.log_dir}/${spec.name}.log`;
  }

  get pid(): number {
    return this.#child?.pid ?? 0;
  }

  /** Lines the server wrote to stderr. */
  get stderr_lines(): number {
    return this.#errors;
  }

  get exited(): boolean {
    return this.#child?.exited() ?? true;
  }

  #args(): string[] {
    const script = this.spec.kind === "app" ? `${this.spec.app_dir}/main.ts` : BARE_SCRIPT;
    // STORM_CPU_PROF=1: each app process writes a .cpuprofile there when it exits.
    const prof = this.spec.cpu_prof_dir;
    return ["run", "-A", ...(prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : []), script];
  }

  #launch(): Child {
    return launch(this.spec, this.#args(), {
      port: this.port,
      data_dir: this.#data_dir,
      log_path: this.log_path,
    }, () => this.#errors++);
  }

  /** First start: a fresh embedded data folder when there is no database URL. */
  async start(): Promise<void> {
    if (this.spec.kind === "app" && !this.spec.db_url) {
      this.#data_dir = await Deno.makeTempDir({ prefix: "chat_storm_" });
    }
    await Deno.mkdir(this.spec.log_dir, { recursive: true });
    if (this.spec.cpu_prof_dir) await Deno.mkdir(this.spec.cpu_prof_dir, { recursive: true });
    await Deno.writeTextFile(
      this.log_path,
      `# deno ${this.#args().join(" ")} (port ${this.port})\n`,
    );
    this.#child = this.#launch();
    await wait_accepting(this.port, () => this.exited, 90_000);
    await wait_healthy(this.base, 30_000);
  }

  /** SIGTERM, wait for the exit, start again; times the moment the port accepts. */
  async restart(on_exit?: () => void): Promise<Restart> {
    const term_at = performance.now();
    await this.#child?.end();
    const exited_at = performance.now();
    on_exit?.();
    const watch = watch_listening(this.port, 90_000);
    this.#child = this.#launch();
    const child = this.#child;
    let listening = false;
    const died = (async () => {
      while (!listening && !child.exited()) await sleep(50);
      if (listening) return NaN;
      throw new Error(`server on port ${this.port} exited during start; see ${this.log_path}`);
    })();
    const accept_at = await Promise.race([watch.at, died]).finally(() => {
      listening = true;
      watch.stop();
    });
    const probe_at = wait_accepting(this.port, () => this.exited, 90_000).catch(() => NaN);
    return { term_at, exited_at, accept_at, probe_at };
  }

  /** Stops for good and removes the embedded data. */
  async stop(): Promise<void> {
    await this.#child?.end();
    this.#child = null;
    if (this.#data_dir) await Deno.remove(this.#data_dir, { recursive: true }).catch(() => {});
  }

  /** Lines of the log that are not the banner: what the server said on stderr (and warnings). */
  async log_lines(): Promise<string[]> {
    const text = await Deno.readTextFile(this.log_path).catch(() => "");
    return text.split("\n").filter((line) =>
      line && !line.startsWith("# deno") && !line.startsWith("Chat instance")
    );
  }
}

/** A server spec for the app (this checkout) or the bare reference. */
export function storm_spec(
  kind: "app" | "bare",
  name: string,
  db_url: string | null,
  log_dir: string,
  pin: boolean,
): ServerSpec {
  const prof = kind === "app" && Deno.env.get("STORM_CPU_PROF") === "1";
  return {
    name,
    kind,
    app_dir: APP_DIR,
    db_url,
    pin,
    log_dir,
    inspect: false,
    cpu_prof_dir: prof ? new URL(`./out/prof/${name}`, import.meta.url).pathname : null,
  };
}

/**
 * Watches for the port's listening socket from a separate shell process (`ss` every 5 ms,
 * which asks the kernel): neither a connect probe, whose SYN is dropped while reconnecting
 * pages fill the listen queue and retried only after 1 s, 3 s…, nor polling from this busy
 * event loop would see the moment in time. Resolves with that moment (performance.now()
 * ms); without `ss`, a connect probe from here.
 */
export function watch_listening(port: number, ms: number): { at: Promise<number>; stop(): void } {
  if (!on_path("ss")) {
    let stopped = false;
    return {
      at: wait_accepting(port, () => stopped, ms),
      stop: () => (stopped = true),
    };
  }
  const script = `end=$(($(date +%s) + ${Math.ceil(ms / 1000)})); ` +
    `while ! ss -Hltn 'sport = :${port}' | grep -q .; do ` +
    `[ $(date +%s) -gt $end ] && exit 1; sleep 0.005; done; date +%s%N`;
  const child = new Deno.Command("sh", {
    args: ["-c", script],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const at = child.output().then((out) => {
    const text = new TextDecoder().decode(out.stdout).trim();
    if (!out.success || !/^\d+$/.test(text)) {
      throw new Error(`port ${port} did not listen within ${ms / 1000} s`);
    }
    return Number(BigInt(text) / 1000n) / 1000 - performance.timeOrigin;
  });
  return {
    at,
    stop: () => {
      try {
        child.kill();
      } catch {
        // already done
      }
    },
  };
}

/** Polls the port every 5 ms until a TCP connect succeeds; returns that moment. */
export async function wait_accepting(
  port: number,
  exited: () => boolean,
  ms: number,
): Promise<number> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (exited()) throw new Error(`server on port ${port} exited during start`);
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      const at = performance.now();
      conn.close();
      return at;
    } catch {
      await sleep(5);
    }
  }
  throw new Error(`port ${port} did not accept within ${ms / 1000} s`);
}

async function wait_healthy(base: string, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    try {
      const response = await fetch(`${base}/healthz`);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not yet
    }
    await sleep(50);
  }
  throw new Error(`${base}/healthz not OK within ${ms / 1000} s`);
}
