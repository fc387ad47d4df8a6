// Number formats shared by the text and Markdown reports, and figures derived from a run.
import type { RunResult } from "./scenario.ts";

/** Turns a figure into text. */
export type Format = (value: number) => string;

/** Milliseconds: two decimals below 10, one above. */
export const ms: Format = (v) => v.toFixed(v < 10 ? 2 : 1);
/** A whole number with thousands separators. */
export const whole: Format = (v) => Math.round(v).toLocaleString("en-US");
/** One decimal. */
export const one: Format = (v) => v.toFixed(1);
/** Load runs read idle memory without forced GC (see README): marked as an upper bound. */
export const UPPER = "*";

/** A figure in `format`, or "–" when it is missing. */
export function show(value: number, format: Format): string {
  return Number.isFinite(value) ? format(value) : "–";
}

/** `a / b` as "1.23×", or "–" when either side is missing or zero. */
export function ratio(a: number, b: number): string {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}×` : "–";
}

/** A run's idle memory per connection, starred when read without forced GC. */
export function idle_kb(r: RunResult): string {
  const value = show(r.idle_kb_per_connection, one);
  return Number.isFinite(r.idle_heap_kb_per_connection) ? value : `${value}${UPPER}`;
}

/** CPU % of everything not listed (kernel networking, neighbours) during the send phase. */
export function other_cpu(r: RunResult): number {
  const listed = r.server_cpu_percent + r.generator_cpu_percent + r.postgres_cpu_percent;
  return Math.max(0, r.cores_busy_percent.reduce((sum, p) => sum + p, 0) - listed);
}
