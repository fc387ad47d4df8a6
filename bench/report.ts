// Text and Markdown output: the summary table, ratios to the bare server, and target checks.
import type { RunResult } from "./scenario.ts";

type Format = (value: number) => string;

const ms: Format = (v) => v.toFixed(v < 10 ? 2 : 1);
const whole: Format = (v) => Math.round(v).toLocaleString("en-US");
const one: Format = (v) => v.toFixed(1);
/** Load runs read idle memory without forced GC (see README): marked as an upper bound. */
const UPPER = "*";

/** A run's idle memory per connection, starred when read without forced GC. */
function idle_kb(r: RunResult): string {
  const value = show(r.idle_kb_per_connection, one);
  return Number.isFinite(r.idle_heap_kb_per_connection) ? value : `${value}${UPPER}`;
}

/** One figure of a run: its label, how to read it, and how to print it. */
interface Figure {
  label: string;
  read: (r: RunResult) => number;
  format: Format;
  /** Custom text for a run, instead of `format(read(r))`. */
  text?: (r: RunResult) => string;
}

const FIGURES: Figure[] = [
  { label: "latency p50 (ms)", read: (r) => r.latency.p50, format: ms },
  { label: "latency p95 (ms)", read: (r) => r.latency.p95, format: ms },
  { label: "latency p99 (ms)", read: (r) => r.latency.p99, format: ms },
  { label: "latency max (ms)", read: (r) => r.latency.max, format: ms },
  { label: "sender echo p50 (ms)", read: (r) => r.echo_latency.p50, format: ms },
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
  { label: "idle connections measured", read: (r) => r.idle_connections, format: whole },
  { label: "connections opened per second", read: (r) => r.connect_per_s, format: whole },
  {
    label: "memory per idle connection (KB)",
    read: (r) => r.idle_kb_per_connection,
    format: one,
    text: idle_kb,
  },
  {
    label: "JS heap per idle connection (KB)",
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
];

function show(value: number, format: Format): string {
  return Number.isFinite(value) ? format(value) : "–";
}

/** `a / b` as "1.23×", or "–" when either side is missing or zero. */
export function ratio(a: number, b: number): string {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}×` : "–";
}

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
  const rows = FIGURES.map((f) => {
    const row = [f.label, shown(f, app)];
    if (bare) row.push(shown(f, bare), ratio(f.read(app), f.read(bare)));
    return row;
  });
  return pad_table([head, ...rows]);
}

/** A one-line description of a run's shape. */
export function describe(r: RunResult): string {
  const s = r.scenario;
  const pace = s.messages === 0
    ? "idle only"
    : s.rate > 0
    ? `${s.messages} msgs at ${s.rate}/s`
    : `${s.messages} msgs unthrottled (window ${s.window}/sender)`;
  const where = s.instances === 2 ? ", 2 instances" : "";
  return `${s.target} ${s.transport} N=${s.n}, ${pace}, S=${s.senders}, db ${r.database}${where}`;
}

/** One target from the issue, checked against a measurement. */
export interface Check {
  target: string;
  measured: string;
  pass: boolean;
}

/** Throttled-delivery targets: p99 ≤ 33 ms, p99 ≤ 1.5× bare, nothing lost. */
export function throttled_checks(app: RunResult, bare: RunResult | null): Check[] {
  const shape = `N=${app.scenario.n} ${app.scenario.rate}/s`;
  const checks: Check[] = [
    {
      target: `${shape}: p99 ≤ 33 ms`,
      measured: `${ms(app.latency.p99)} ms`,
      pass: app.latency.p99 <= 33,
    },
    {
      target: `${shape}: zero lost`,
      measured: `${app.lost} lost of ${app.expected}, ${app.duplicates} duplicated`,
      pass: app.lost === 0 && app.expected > 0,
    },
  ];
  if (bare) {
    checks.splice(1, 0, {
      target: `${shape}: p99 ≤ 1.5× bare`,
      measured: `${ratio(app.latency.p99, bare.latency.p99)} (bare ${ms(bare.latency.p99)} ms)`,
      pass: app.latency.p99 <= 1.5 * bare.latency.p99,
    });
  }
  return checks;
}

/** Unthrottled targets: ≥ 98,000 deliveries/s and ≥ 0.7× bare. */
export function unthrottled_checks(app: RunResult, bare: RunResult | null): Check[] {
  const shape = `N=${app.scenario.n} unthrottled`;
  const checks: Check[] = [{
    target: `${shape}: ≥ 98,000 deliveries/s`,
    measured: `${whole(app.deliveries_per_s)}/s, ${app.lost} lost`,
    pass: app.deliveries_per_s >= 98_000 && app.lost === 0,
  }];
  if (bare) {
    checks.push({
      target: `${shape}: ≥ 0.7× bare deliveries/s`,
      measured: `${ratio(app.deliveries_per_s, bare.deliveries_per_s)} (bare ${
        whole(bare.deliveries_per_s)
      }/s)`,
      pass: app.deliveries_per_s >= 0.7 * bare.deliveries_per_s,
    });
  }
  return checks;
}

/** Idle-memory target: ≤ 35 KB per idle connection. */
export function idle_check(app: RunResult): Check {
  return {
    target: `${app.scenario.transport} idle (N=${app.idle_connections}): ≤ 35 KB/connection`,
    measured: `${show(app.idle_kb_per_connection, one)} KB`,
    pass: app.idle_kb_per_connection <= 35,
  };
}

/** Cross-instance target: p50 with two instances adds ≤ 5 ms over one instance. */
export function cross_instance_check(single: RunResult, two: RunResult): Check {
  const added = two.latency.p50 - single.latency.p50;
  const signed = (v: number) => `${v >= 0 ? "+" : ""}${ms(v)}`;
  // Same run, same messages: subscribers on B against the senders' own echo on A.
  const in_run = two.latency.p50 - two.echo_latency.p50;
  return {
    target: `two instances: p50 adds ≤ 5 ms`,
    measured: `${signed(added)} ms (${ms(single.latency.p50)} → ${ms(two.latency.p50)} ms); ` +
      `in-run B subscribers vs A echo: ${signed(in_run)} ms`,
    pass: added <= 5,
  };
}

/** The targets that fit a run's shape (throttled, unthrottled, or idle only: memory). */
export function checks_for(app: RunResult, bare: RunResult | null): Check[] {
  if (app.scenario.messages === 0) return app.scenario.transport === "mix" ? [] : [idle_check(app)];
  return app.scenario.rate > 0 ? throttled_checks(app, bare) : unthrottled_checks(app, bare);
}

/** Target checks as PASS/FAIL lines. */
export function format_checks(checks: Check[]): string {
  return checks.map((c) => `${c.pass ? "PASS" : "FAIL"}  ${c.target.padEnd(44)} ${c.measured}`)
    .join("\n");
}

/** Notes and error samples worth reading after a run, each line tagged with `title`. */
export function format_notes(r: RunResult, title: string = r.scenario.target): string {
  const lines = [...r.notes, ...r.error_samples.map((e) => `error: ${e}`)];
  return lines.map((line) => `  note (${title}): ${line}`).join("\n");
}

/** What the star on an idle-memory figure means. */
export const UPPER_NOTE = `${UPPER} read without forced GC in a load run: an upper bound; ` +
  "idle-only runs (--messages=0) give the precise figure";

/** Prints a run's table and notes; `other` (bare or one instance) gets a ratio column. */
export function print_run(
  app: RunResult,
  other: RunResult | null,
  titles: [string, string] = ["app", "bare"],
): void {
  console.log(`${describe(app)}\n${summary_table(app, other, titles)}`);
  if (app.scenario.messages > 0) console.log(UPPER_NOTE);
  const notes = [format_notes(app, titles[0]), other ? format_notes(other, titles[1]) : ""];
  for (const text of notes) if (text) console.log(text);
}

/** A row of the suite's Markdown table. */
export interface SuiteRow {
  name: string;
  app: RunResult;
  bare: RunResult | null;
}

function cell(app: number, bare: number | undefined, format: Format): string {
  const text = show(app, format);
  return bare === undefined || !Number.isFinite(bare) ? text : `${text} (${ratio(app, bare)})`;
}

/** The suite's results as a Markdown table (ratios to the bare server in parentheses). */
export function suite_markdown(rows: SuiteRow[]): string {
  const head = [
    "scenario",
    "db",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "max ms",
    "deliveries/s",
    "lost",
    "dup",
    "conn err",
    "KB/idle conn",
    "peak RSS MB",
    "CPU µs/delivery",
  ];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const { name, app, bare } of rows) {
    const b = bare ?? undefined;
    lines.push(`| ${
      [
        name,
        app.database,
        cell(app.latency.p50, b?.latency.p50, ms),
        cell(app.latency.p95, b?.latency.p95, ms),
        cell(app.latency.p99, b?.latency.p99, ms),
        cell(app.latency.max, b?.latency.max, ms),
        cell(app.deliveries_per_s, b?.deliveries_per_s, whole),
        `${app.lost}/${app.expected}`,
        String(app.duplicates),
        String(app.connection_errors),
        b && Number.isFinite(b.idle_kb_per_connection)
          ? `${idle_kb(app)} (${ratio(app.idle_kb_per_connection, b.idle_kb_per_connection)})`
          : idle_kb(app),
        cell(app.server_peak_rss_kb / 1024, b ? b.server_peak_rss_kb / 1024 : undefined, one),
        cell(app.server_cpu_us_per_delivery, b?.server_cpu_us_per_delivery, one),
      ].join(" | ")
    } |`);
  }
  return lines.join("\n");
}

function other_cpu(r: RunResult): number {
  const listed = r.server_cpu_percent + r.generator_cpu_percent + r.postgres_cpu_percent;
  return Math.max(0, r.cores_busy_percent.reduce((sum, p) => sum + p, 0) - listed);
}

/** Where CPU went during each send phase, as a Markdown table (each run once). */
export function cpu_markdown(rows: SuiteRow[]): string {
  const head = [
    "scenario",
    "run",
    "server %",
    "generator %",
    "postgres %",
    "other %",
    "core 0 %",
    "core 1 %",
  ];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  const seen = new Set<RunResult>();
  for (const { name, app, bare } of rows) {
    for (const r of [app, bare]) {
      if (!r || seen.has(r) || r.scenario.messages === 0) continue;
      seen.add(r);
      const run = r.scenario.target === "bare" ? "bare" : `app ×${r.scenario.instances}`;
      const cells = [
        r.server_cpu_percent,
        r.generator_cpu_percent,
        r.postgres_cpu_percent,
        other_cpu(r),
        r.cores_busy_percent[0],
        r.cores_busy_percent[1],
      ].map((v) => show(v, whole));
      lines.push(`| ${[name, run, ...cells].join(" | ")} |`);
    }
  }
  return lines.join("\n");
}

/** Target checks as a Markdown table. */
export function checks_markdown(checks: Check[]): string {
  return [
    "| target | measured | result |",
    "|---|---|---|",
    ...checks.map((c) => `| ${c.target} | ${c.measured} | ${c.pass ? "PASS" : "**FAIL**"} |`),
  ].join("\n");
}
