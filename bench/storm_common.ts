// What bench/storm.ts and bench/soak.ts share: flags, pinning, the fd check, setup of the
// pages, loss and duplicate counting, percentiles and writing the JSON summary.
import { can_pin, GENERATOR_CORE } from "./pinning.ts";
import { open_file_limit } from "./proc.ts";
import { prepare_app } from "./setup.ts";
import { Page, type PageTarget, type Reconnect } from "./storm_page.ts";
import { quantile } from "./stats.ts";
import { map_limited } from "./timing.ts";

/** `--name=value` / `--name value` / `--flag` / `--no-flag` into a map. */
export function parse_flags(args: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) throw new Error(`unexpected argument ${arg}`);
    const eq = arg.indexOf("=");
    if (eq !== -1) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (arg.startsWith("--no-")) flags.set(arg.slice(5), "false");
    else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
      flags.set(arg.slice(2), args[++i]);
    } else flags.set(arg.slice(2), "true");
  }
  return flags;
}

/** A numeric flag within bounds. */
export function number_flag(
  flags: Map<string, string>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = flags.get(name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`--${name} must be a number from ${min} to ${max}`);
  }
  return value;
}

const PINNED_ENV = "STORM_PINNED";

/**
 * Runs this script again under `taskset -c 1` (servers run on core 0) unless it already is
 * or pinning is off; returns the child's exit code, or null to go on in this process.
 */
export async function rerun_pinned(script: string, pin: boolean): Promise<number | null> {
  if (!pin || !can_pin() || Deno.env.get(PINNED_ENV)) return null;
  const child = new Deno.Command("taskset", {
    args: ["-c", String(GENERATOR_CORE), Deno.execPath(), "run", "-A", script, ...Deno.args],
    env: { [PINNED_ENV]: "1" },
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  return (await child.status).code;
}

/** Throws when the open-file limit cannot hold `needed` descriptors. */
export function check_fd_limit(needed: number): void {
  const limit = open_file_limit();
  if (limit !== null && limit < needed) {
    throw new Error(`open-file limit ${limit} < ${needed} needed: run \`ulimit -n 16384\` first`);
  }
}

/** The guests, the room and the page targets: N pages (feeds=1) and one sender. */
export async function setup_room(
  base: string,
  n: number,
  transport: "ws" | "sse" | "mix",
  run_id: string,
): Promise<
  { slug: string; pages: PageTarget[]; sender: { url: string; headers: Record<string, string> } }
> {
  const endpoints = await prepare_app(
    { send_base: base, sub_base: base },
    { subscribers: n, senders: 1 },
    { id: run_id, page: "new" },
    32,
  );
  const pages = endpoints.subscribers.map((e, i) => ({
    transport: transport === "mix" ? (i % 2 ? "sse" as const : "ws" as const) : transport,
    ws_url: e.ws_url,
    sse_url: e.sse_url,
    headers: e.headers,
  }));
  const s = endpoints.senders[0];
  return { slug: endpoints.slug, pages, sender: { url: s.ws_url, headers: s.headers } };
}

/** Opens every page (`concurrency` at a time) and waits until each is synced. */
export async function open_pages(
  targets: PageTarget[],
  mode: Reconnect,
  max_messages: number,
  keep_times: boolean,
  concurrency = 64,
): Promise<{ pages: Page[]; seconds: number; failed: number }> {
  const pages = targets.map((t, i) => new Page(i, t, mode, max_messages, keep_times));
  const start = performance.now();
  let failed = 0;
  await map_limited(pages, concurrency, async (page) => {
    try {
      await page.start();
      if (!await page.wait_synced(30_000)) failed++;
    } catch {
      failed++;
    }
  });
  return { pages, seconds: (performance.now() - start) / 1000, failed };
}

/** Who missed or repeated which of the `expected` messages. */
export interface Delivery {
  expected_messages: number;
  /** Messages at least one page never got, and (page, message) pairs missing. */
  lost_messages: number;
  lost_deliveries: number;
  /** Pages that got some message in two frames, and such repeats in all. */
  duplicated_pages: number;
  duplicated_deliveries: number;
  /** Messages not acknowledged (refused, unanswered) that reached a page anyway. */
  unacked_delivered: number;
  /** A few (page, message) pairs that were lost, for the report. */
  lost_examples: string[];
}

/** Counts losses over `expected` (acknowledged) messages and every duplicate. */
export function count_delivery(
  pages: Page[],
  expected: number[],
  unacked: number[],
): Delivery {
  const lost_messages = new Set<number>();
  let lost_deliveries = 0;
  const lost_examples: string[] = [];
  for (const page of pages) {
    for (const k of expected) {
      if (page.counts[k]) continue;
      lost_deliveries++;
      lost_messages.add(k);
      if (lost_examples.length < 5) {
        lost_examples.push(
          `page ${page.id} lacks #${k} (cursor ${page.cursor}, open ${page.is_open}, ${page.last_problem})`,
        );
      }
    }
  }
  const unacked_delivered = unacked.filter((k) => pages.some((p) => p.counts[k])).length;
  return {
    expected_messages: expected.length,
    lost_messages: lost_messages.size,
    lost_deliveries,
    duplicated_pages: pages.filter((p) => p.duplicates > 0).length,
    duplicated_deliveries: pages.reduce((sum, p) => sum + p.duplicates, 0),
    unacked_delivered,
    lost_examples,
  };
}

/** p50/p99/max (and how many) of a list of milliseconds; NaN when empty. */
export interface Spread {
  count: number;
  min: number;
  p50: number;
  p99: number;
  max: number;
}

export function spread(values: number[]): Spread {
  const sorted = Float64Array.from(values.filter(Number.isFinite)).sort();
  return {
    count: sorted.length,
    min: sorted.length ? sorted[0] : NaN,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

/** "p50 / p99 / max ms" with the count when some are missing. */
export function show_spread(s: Spread, of: number, unit = "ms"): string {
  const f = (v: number) => Number.isFinite(v) ? v.toFixed(v < 100 ? 1 : 0) : "–";
  const missing = of - s.count;
  return `${f(s.p50)} / ${f(s.p99)} / ${f(s.max)} ${unit}` +
    (missing ? ` (${missing} of ${of} never)` : "");
}

/** Writes `data` as JSON to bench/out/<name>.json; returns the path. */
export async function write_json(name: string, data: unknown): Promise<string> {
  const dir = new URL("./out/", import.meta.url).pathname;
  await Deno.mkdir(dir, { recursive: true });
  const path = `${dir}${name}.json`;
  await Deno.writeTextFile(path, JSON.stringify(data, null, 2) + "\n");
  return path;
}

/** Log folder for the servers' output. */
export const LOG_DIR = new URL("./out/logs", import.meta.url).pathname;

/** Waits until `done()` or `ms` pass, polling every `every_ms`; returns whether it is done. */
export async function until(done: () => boolean, ms: number, every_ms = 25): Promise<boolean> {
  const end = performance.now() + ms;
  while (!done()) {
    if (performance.now() >= end) return false;
    await new Promise((resolve) => setTimeout(resolve, every_ms));
  }
  return true;
}

/** True when `page` has every one of `expected`. */
export function has_all(page: Page, expected: number[]): boolean {
  for (const k of expected) if (!page.counts[k]) return false;
  return true;
}
