// The suite's results.md: figures per scenario (with ratios), CPU per send phase, targets.
import { type Check, checks_markdown } from "./checks.ts";
import { type Format, idle_kb, ms, one, other_cpu, ratio, show, whole } from "./format.ts";
import type { BenchOptions } from "./options.ts";
import { machine_cores } from "./pinning.ts";
import { OUT_DIR } from "./plan.ts";
import { UPPER_NOTE } from "./report.ts";
import type { RunResult } from "./scenario.ts";

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
    rows.some((row) => row.app.scenario.page !== "off") ? "KB/idle page" : "KB/idle conn",
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
    "stolen %",
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
      cells.push(show(r.cores_stolen_percent.reduce((sum, p) => sum + p, 0), one));
      lines.push(`| ${[name, run, ...cells].join(" | ")} |`);
    }
  }
  return lines.join("\n");
}

/** Results gathered while the suite runs. */
export interface SuiteState {
  rows: SuiteRow[];
  checks: Check[];
  failures: string[];
  charts: string[];
  notes: string[];
}

/** The whole results.md document: figures, CPU, targets, failures, notes and charts. */
export function results_markdown(options: BenchOptions, state: SuiteState): string {
  const db = options.db ? `Postgres server (${new URL(options.db).host})` : "embedded PGlite";
  return [
    "# Chat bench results",
    "",
    `${new Date().toISOString()} · Deno ${Deno.version.deno} · ${machine_cores()}` +
    ` cores · ${db} · ${options.pin ? "server on core 0, generator on core 1" : "not pinned"}` +
    ` · ${options.senders} senders`,
    "",
    "Ratios in parentheses are app ÷ bare server (bench/bare_server.ts, same generator, same",
    "run); for the two-instance row they are two ÷ one instance.",
    "",
    suite_markdown(state.rows),
    "",
    UPPER_NOTE.replace("*", "\\*"),
    "",
    "## CPU during the send phase (% of one core; 2 cores = 200%)",
    "",
    cpu_markdown(state.rows),
    "",
    "## Targets",
    "",
    checks_markdown(state.checks),
    "",
    ...(state.failures.length
      ? ["## Failures", "", ...state.failures.map((f) => `- ${f}`), ""]
      : []),
    ...(state.notes.length ? ["## Notes", "", ...state.notes.map((n) => `- ${n}`), ""] : []),
    "## Charts",
    "",
    ...state.charts.map((path) => `- ${path.slice(OUT_DIR.length + 1)}`),
    "",
  ].join("\n");
}
