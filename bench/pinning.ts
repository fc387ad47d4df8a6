import { on_path } from "./proc.ts";

/** Core for the server processes. */
export const SERVER_CORE = 0;
/** Core for this load generator. */
export const GENERATOR_CORE = 1;

const PINNED_ENV = "BENCH_PINNED";

/**
 * Cores online on the machine. Not navigator.hardwareConcurrency: inside the pinned
 * generator that reports 1 (it follows this process's affinity).
 */
export function machine_cores(): number {
  try {
    const online = Deno.readTextFileSync("/sys/devices/system/cpu/online").trim();
    return online.split(",").reduce((sum, range) => {
      const [from, to = from] = range.split("-").map(Number);
      return sum + to - from + 1;
    }, 0);
  } catch {
    return navigator.hardwareConcurrency;
  }
}

/** True when processes can be pinned (taskset exists and the machine has 2+ cores). */
export function can_pin(): boolean {
  return on_path("taskset") && machine_cores() >= 2;
}

/** Command prefix that pins a child to `core`, or nothing when pinning is off. */
export function pin_prefix(core: number, pin: boolean): string[] {
  return pin && can_pin() ? ["taskset", "-c", String(core)] : [];
}

/**
 * Runs this same bench again under `taskset -c 1` unless it already is; returns the child's
 * exit code, or null when the caller should go on in this process.
 */
export async function rerun_pinned(pin: boolean): Promise<number | null> {
  if (!pin || !can_pin() || Deno.env.get(PINNED_ENV)) return null;
  const script = new URL("./main.ts", import.meta.url).pathname;
  const child = new Deno.Command("taskset", {
    args: ["-c", String(GENERATOR_CORE), Deno.execPath(), "run", "-A", script, ...Deno.args],
    env: { [PINNED_ENV]: "1" },
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const status = await child.status;
  return status.code;
}

/** Whether this process is the pinned generator. */
export function is_pinned(): boolean {
  return Deno.env.get(PINNED_ENV) === "1";
}
