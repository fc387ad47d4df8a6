// Text output: the summary table of a run, with ratios to the bare server, and its notes.
import { type Format, idle_kb, ms, one, other_cpu, ratio, show, UPPER, whole } from "./format.ts";
import type { RunResult } from "./scenario.ts";

/** One figure of a run: its label, how to read it, and how to print it. */
interface Figure {
  label: string;
  read: (r: RunResult) => number;
  format: Format;
  /** Custom text for a run, instead of `format(read(r))`. */
  text?: (r: RunResult) => string;
  /** The label when subscribers are pages (`--page`): the figure is per page. */
  page_label?: string;
}

const FIGURES: Figure[] = [
  { label: "latency p50 (ms)", read: (r) => r.latency.p50, format: ms },
  { label: "latency p95 (ms)", read: (r) => r.latency.p95, format: ms },
  { label: "latency p99 (ms)", read: (r) => r.latency.p99, format: ms },
  { label: "latency max (ms)", read: (r) => r.latency.max, format: ms },
  { label: "sender echo p50 (ms)", read: (r) => r.echo_latency.p50, format: ms },
  { label: "per message: first delivery p50 (ms)", read: (r) => r.first_delivery.p50, format: ms },
  { label: "per message: first delivery p99 (ms)", read: (r) => r.first_delivery.p99, format: ms },
  { label: "per message: first delivery max (ms)", read: (r) => r.first_delivery.max, format: ms },
  { label: "per message: first to last p50 (ms)", read: (r) => r.spread.p50, format: ms },
  { label: "per message: first to last p99 (ms)", read: (r) => r.spread.p99, format: ms },
  { label: "deliveries/s (average)", read: (r) => r.deliveries_per_s, format: whole },
  { label: "deliveries/s (peak 1 s)", read: (r) => r.peak_deliveries_per_s, format: whole },
  { label: "messages sent", read: (r) => r.sent, format: whole },
  { label: "deliveries expected", read: (r) => r.expected, format: whole },
  { label: "deliveries received", read: (r) => r.delivered, format: whole },
  { label: "lost deliveries", read: (r) => r.lost, format: whole },
  { label: "lost messages", read: (r) => r.lost_messages, format: whole },
  { label: "duplicated deliveries", read: (r) => r.duplicates, format: whole },
  { label: "frame bytes per delivery", read: (r) => r.frame_chars_per_delivery, format: whole },
  { label: "connection errors", read: (r) => r.connection_errors, format: whole },
  { label: "send errors", read: (r) => r.send_errors, format: whole },
  { label: "server stderr lines", read: (r) => r.server_stderr_lines, format: whole },
  {
    label: "idle connections measured",
    page_label: "idle pages measured",
    read: (r) => r.idle_connections,
    format: whole,
  },
  {
    label: "connections opened per second",
    page_label: "pages opened per second",
    read: (r) => r.connect_per_s,
    format: whole,
  },
  {
    label: "memory per idle connection (KB)",
    page_label: "memory per idle page (KB)",
    read: (r) => r.idle_kb_per_connection,
    format: one,
    text: idle_kb,
  },
  {
    label: "JS heap per idle connection (KB)",
    page_label: "JS heap per idle page (KB)",
    read: (r) => r.idle_heap_kb_per_connection,
    format: one,
  },
  { label: "server peak RSS (MB)", read: (r) => r.server_peak_rss_kb / 1024, format: one },
  { label: "server peak RSS in setup (MB)", read: (r) => r.setup_peak_rss_kb / 1024, format: one },
  { label: "server CPU per delivery (µs)", read: (r) => r.server_cpu_us_per_delivery, format: one },
  { label: "server CPU during send (%)", read: (r) => r.server_cpu_percent, format: whole },
  { label: "generator CPU during send (%)", read: (r) => r.generator_cpu_percent, format: whole },
  { label: "postgres CPU during send (%)", read: (r) => r.postgres_cpu_percent, format: whole },
  {
    label: "other processes' CPU during send (%)",
    read: other_cpu,
    format: whole,
  },
  { label: "core 0 busy during send (%)", read: (r) => r.cores_busy_percent[0], format: whole },
  { label: "core 1 busy during send (%)", read: (r) => r.cores_busy_percent[1], format: whole },
  {
    label: "CPU stolen by the host during send (%)",
    read: (r) => r.cores_stolen_percent.reduce((sum, p) => sum + p, 0),
    format: one,
  },
];

function pad_table(rows: string[][]): string {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  return rows.map((row) =>
    row.map((cell, col) => col ? cell.padStart(widths[col]) : cell.padEnd(widths[col])).join("  ")
  ).join("\n");
}

/** A plain-text table of every figure, with a ratio column when a second run is given. */
export function summary_table(
  app: RunResult,
  bare: RunResult | null = null,
  titles: [string, string] = ["app", "bare"],
): string {
  const head = bare ? ["figure", ...titles, titles.join("/")] : ["figure", titles[0]];
  const shown = (f: Figure, r: RunResult) => f.text?.(r) ?? show(f.read(r), f.format);
  const pages = app.scenario.page !== "off";
  const rows = FIGURES.map((f) => {
    const row = [(pages && f.page_label) || f.label, shown(f, app)];
    if (bare) row.push(shown(f, bare), ratio(f.read(app), f.read(bare)));
    return row;
  });
  return pad_table([head, ...rows]);
}

/** What a subscriber opens, for descriptions: nothing extra, or the page mode. */
export function page_text(s: { page: string; transport: string }): string {
  if (s.page === "old") return `, old page (${s.transport} room + SSE inbox + SSE presence)`;
  if (s.page === "new") return `, new page (one ${s.transport} room connection, ?feeds=1)`;
  return "";
}

/** A one-line description of a run's shape. */
export function describe(r: RunResult): string {
  const s = r.scenario;
  const pace = s.messages === 0
    ? "idle only"
    : s.rate > 0
    ? `${s.messages} msgs at ${s.rate}/s`
    : `${s.messages} msgs unthrottled (window ${s.window}/sender)`;
  const where = s.instances > 1 ? `, ${s.instances} instances` : "";
  return `${s.target} ${s.transport} N=${s.n}, ${pace}, S=${s.senders}, db ${r.database}${where}` +
    page_text(s) + (s.cold ? ", cold (no warm-up)" : "");
}

/** Notes and error samples worth reading after a run, each line tagged with `title`. */
export function format_notes(r: RunResult, title: string = r.scenario.target): string {
  const lines = [...r.notes, ...r.error_samples.map((e) => `error: ${e}`)];
  return lines.map((line) => `  note (${title}): ${line}`).join("\n");
}

/** What the star on an idle-memory figure means. */
export const UPPER_NOTE = `${UPPER} read without forced GC in a load run: an upper bound; ` +
  "idle-only runs (--messages=0) give the precise figure";

/**
 * Latency per instance, one line each, when a run's subscribers were on more than one
 * instance (with two instances they are all on B, which the table shows).
 */
export function per_instance_text(r: RunResult, title: string = r.scenario.target): string {
  if (r.per_instance.length < 2) return "";
  const total = r.scenario.senders ? `, senders on ${r.per_instance[0].name}` : "";
  const lines = r.per_instance.map((i) =>
    `  ${i.name}: ${i.subscribers} subscribers, p50 ${show(i.latency.p50, ms)} / p95 ${
      show(i.latency.p95, ms)
    } / p99 ${show(i.latency.p99, ms)} / max ${show(i.latency.max, ms)} ms, ${
      whole(i.expected - i.delivered)
    } lost`
  );
  return [`latency per instance (${title}${total}):`, ...lines].join("\n");
}

/** Prints a run's table and notes; `other` (bare or one instance) gets a ratio column. */
export function print_run(
  app: RunResult,
  other: RunResult | null,
  titles: [string, string] = ["app", "bare"],
): void {
  console.log(`${describe(app)}\n${summary_table(app, other, titles)}`);
  if (app.scenario.page !== "off" && other?.scenario.target === "bare") {
    console.log("bare: one connection per page (the target shape)");
  }
  if (app.scenario.messages > 0) console.log(UPPER_NOTE);
  for (const [r, title] of [[app, titles[0]], [other, titles[1]]] as const) {
    const text = r && r.scenario.messages > 0 ? per_instance_text(r, title) : "";
    if (text) console.log(text);
  }
  const notes = [format_notes(app, titles[0]), other ? format_notes(other, titles[1]) : ""];
  for (const text of notes) if (text) console.log(text);
}
