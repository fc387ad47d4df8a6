// Turns options into scenarios and runs them with a progress line.
import type { BenchOptions, Instances, Page, Transport } from "./options.ts";
import { Progress } from "./progress.ts";
import { run_scenario } from "./run.ts";
import type { RunResult, Scenario, Settings } from "./scenario.ts";
import { APP_DIR } from "./server_process.ts";
import type { Deadline } from "./timing.ts";

/** Where results, charts and server logs go (git-ignored). */
export const OUT_DIR = new URL("./out/", import.meta.url).pathname.replace(/\/$/, "");

/** Run-wide settings from the options; BENCH_CPU_PROF=1 profiles the app servers. */
export function settings_from(options: BenchOptions): Settings {
  const profile = Deno.env.get("BENCH_CPU_PROF") === "1";
  return {
    drain_s: options.drain_s,
    settle_s: options.settle_s,
    warm_connections: options.warm_connections,
    connect_concurrency: options.connect_concurrency,
    pin: options.pin,
    app_dir: options.app_dir ?? APP_DIR,
    log_dir: `${OUT_DIR}/logs`,
    force_gc: options.force_gc,
    quiet_s: options.quiet_s,
    prof_dir: profile ? `${OUT_DIR}/prof` : null,
  };
}

/**
 * A file-name-safe label such as `ws-n1000-m200-r50` (`-x4` with four instances, `-page-old`
 * in a page mode, `-cold` with `--cold`).
 */
export function shape_label(s: {
  transport: Transport;
  page?: Page;
  n: number;
  messages: number;
  rate: number;
  instances: Instances;
  cold?: boolean;
}): string {
  const pace = s.messages === 0 ? "idle" : `m${s.messages}-r${s.rate}`;
  const page = s.page && s.page !== "off" ? `-page-${s.page}` : "";
  const where = s.instances > 1 ? `-x${s.instances}` : "";
  return `${s.transport}-n${s.n}-${pace}${where}${page}${s.cold ? "-cold" : ""}`;
}

/** The scenario the options describe, for the app or the bare server. */
export function scenario_from(
  options: BenchOptions,
  target: "app" | "bare",
  overrides: Partial<Scenario> = {},
): Scenario {
  const base = {
    target,
    instances: target === "bare" ? 1 as const : options.instances,
    transport: options.transport,
    // The bare server is the target shape: one connection per page.
    page: target === "bare" ? "off" as const : options.page,
    n: options.n,
    messages: options.messages,
    rate: options.rate,
    senders: options.senders,
    window: options.window,
    warmup: options.warmup,
    db_url: target === "bare" ? null : options.db,
    cold: options.cold,
    ...overrides,
  };
  return { label: `${target}-${shape_label(base)}`, ...base, ...overrides };
}

/** Runs one scenario with a progress line on stderr. */
export async function run_with_progress(
  scenario: Scenario,
  settings: Settings,
  deadline: Deadline,
): Promise<RunResult> {
  if (deadline.passed()) throw new Error(`global deadline passed before ${scenario.label}`);
  const progress = new Progress(scenario.label);
  try {
    return await run_scenario(scenario, settings, deadline, progress);
  } finally {
    progress.stop();
  }
}

/** Writes a file under bench/out/ and returns its path. */
export async function write_out(name: string, content: string): Promise<string> {
  const path = `${OUT_DIR}/${name}`;
  await Deno.writeTextFile(path, content);
  return path;
}

/** A run as JSON without the bulky chart arrays. */
export function result_json(result: RunResult): Record<string, unknown> {
  const { cdf: _cdf, rates: _rates, worst_ms: _worst, ...rest } = result;
  return rest;
}
