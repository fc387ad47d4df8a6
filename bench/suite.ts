// The README set: N=10/100/1000 throttled, N=100 unthrottled, idle WS and SSE memory, and
// two instances; each against the bare server where that makes sense. Writes results.md.
import { COLORS, render_chart } from "./chart.ts";
import {
  type Check,
  cross_instance_check,
  format_checks,
  idle_check,
  throttled_checks,
  unthrottled_checks,
} from "./checks.ts";
import type { BenchOptions } from "./options.ts";
import { result_json, run_with_progress, scenario_from, settings_from, write_out } from "./plan.ts";
import { print_run } from "./report.ts";
import type { RunResult, Scenario } from "./scenario.ts";
import { results_markdown, type SuiteState } from "./suite_report.ts";
import type { Deadline } from "./timing.ts";

/** One entry of the suite. */
interface Entry {
  name: string;
  file: string;
  shape: Partial<Scenario>;
  checks: (app: RunResult, bare: RunResult | null) => Check[];
  /**
   * Bare and app runs taken in turn this many times; the table shows the round with the median
   * p99 ratio, and the notes list every round (one run's p99 moves with the host's load).
   */
  rounds?: number;
}

const THROTTLED = { messages: 200, rate: 50, transport: "ws" as const };

const ENTRIES: Entry[] = [
  {
    name: "WS N=10, 200 msgs at 50/s",
    file: "n10",
    shape: { n: 10, ...THROTTLED },
    checks: () => [],
  },
  {
    name: "WS N=100, 200 msgs at 50/s",
    file: "n100",
    shape: { n: 100, ...THROTTLED },
    checks: () => [],
  },
  {
    name: "WS N=1000, 200 msgs at 50/s",
    file: "n1000",
    shape: { n: 1000, ...THROTTLED },
    checks: throttled_checks,
    rounds: 3,
  },
  {
    name: "WS N=100, 2000 msgs unthrottled",
    file: "unthrottled",
    shape: { n: 100, messages: 2000, rate: 0, transport: "ws" },
    checks: unthrottled_checks,
  },
  {
    name: "idle WS N=1000",
    file: "idle-ws",
    shape: { n: 1000, messages: 0, transport: "ws" },
    checks: (app) => [idle_check(app)],
  },
  {
    name: "idle SSE N=1000",
    file: "idle-sse",
    shape: { n: 1000, messages: 0, transport: "sse" },
    checks: (app) => [idle_check(app)],
  },
];

const TWO_INSTANCE_SHAPE = { n: 100, ...THROTTLED };

function failure(name: string, error: unknown): string {
  const message = `${name}: failed: ${(error as Error)?.message ?? error}`;
  console.error(message);
  return message;
}

async function chart(file: string, title: string, runs: [string, RunResult | null][]) {
  const series = runs.filter((r): r is [string, RunResult] => r[1] !== null)
    .map(([name, result], i) => ({ name, result, color: COLORS[i] }));
  return await write_out(`suite-${file}.svg`, render_chart(title, series));
}

/** App ÷ bare p99 of one round. */
const p99_ratio = ([app, bare]: [RunResult, RunResult]) => app.latency.p99 / bare.latency.p99;

/**
 * The round with the median p99 ratio, of an odd number of rounds. Each round's two runs are
 * taken back to back, so they share the machine's state; the ratio is read within a round.
 */
function median_round(rounds: [RunResult, RunResult][]): [RunResult, RunResult] {
  return [...rounds].sort((a, b) => p99_ratio(a) - p99_ratio(b))[(rounds.length - 1) >> 1];
}

/** Where a run's tail came from: per message, first delivery p99 / max and spread p99. */
function split_text(r: RunResult): string {
  const f = r.first_delivery, spread = r.spread.p99;
  return `first ${f.p99.toFixed(1)}/${f.max.toFixed(1)}, spread ${spread.toFixed(1)}`;
}

function rounds_note(name: string, rounds: [RunResult, RunResult][]): string {
  const each = rounds.map(([app, bare]) =>
    `${app.latency.p99.toFixed(1)} / ${bare.latency.p99.toFixed(1)} ms (${
      p99_ratio([app, bare]).toFixed(2)
    }×; app ${split_text(app)}; bare ${split_text(bare)})`
  );
  return `${name}: p99 app / bare per round: ${each.join("; ")}. Per message, in ms: first ` +
    "delivery p99/max and first-to-last spread p99. The table shows the median round";
}

async function run_entries(options: BenchOptions, deadline: Deadline, state: SuiteState) {
  const settings = settings_from(options);
  for (const entry of ENTRIES) {
    const shape = { ...entry.shape, instances: 1 as const };
    try {
      const rounds: [RunResult, RunResult][] = [];
      for (let round = 0; round < (entry.rounds ?? 1); round++) {
        const run = (target: "app" | "bare") =>
          run_with_progress(scenario_from(options, target, shape), settings, deadline);
        const bare = await run("bare");
        rounds.push([await run("app"), bare]);
      }
      const [app, bare] = median_round(rounds);
      console.log(`\n## ${entry.name}`);
      print_run(app, bare);
      state.rows.push({ name: entry.name, app, bare });
      state.checks.push(...entry.checks(app, bare));
      state.charts.push(await chart(entry.file, entry.name, [["app", app], ["bare", bare]]));
      if (rounds.length > 1) state.notes.push(rounds_note(entry.name, rounds));
      for (const r of rounds.flat()) {
        state.notes.push(...r.notes.map((n) => `${entry.name}: ${n}`));
      }
    } catch (error) {
      state.failures.push(failure(entry.name, error));
    }
  }
}

async function run_two_instances(options: BenchOptions, deadline: Deadline, state: SuiteState) {
  const name = "two instances, WS N=100, 200 msgs at 50/s";
  if (!options.db) {
    state.notes.push(`${name}: skipped (needs --db=postgres://…; embedded cannot be shared)`);
    return;
  }
  const settings = settings_from(options);
  try {
    const shape = { ...TWO_INSTANCE_SHAPE };
    const single = await run_with_progress(
      scenario_from(options, "app", { ...shape, instances: 1, label: "app-x1-n100" }),
      settings,
      deadline,
    );
    const two = await run_with_progress(
      scenario_from(options, "app", { ...shape, instances: 2 }),
      settings,
      deadline,
    );
    console.log(`\n## ${name}`);
    print_run(two, single, ["two", "one"]);
    state.rows.push({ name: "one instance, WS N=100, 50/s", app: single, bare: null });
    state.rows.push({ name: `${name} (vs one)`, app: two, bare: single });
    state.checks.push(cross_instance_check(single, two));
    state.charts.push(await chart("two-instances", name, [["two", two], ["one", single]]));
  } catch (error) {
    state.failures.push(failure(name, error));
  }
}

/** Runs the whole suite; returns true when every target passed and nothing failed. */
export async function run_suite(options: BenchOptions, deadline: Deadline): Promise<boolean> {
  const state: SuiteState = { rows: [], checks: [], failures: [], charts: [], notes: [] };
  await run_entries(options, deadline, state);
  await run_two_instances(options, deadline, state);
  const path = await write_out("results.md", results_markdown(options, state));
  const runs = state.rows.map((row) => ({
    name: row.name,
    app: result_json(row.app),
    bare: row.bare ? result_json(row.bare) : null,
  }));
  await write_out("results.json", JSON.stringify({ runs, checks: state.checks }, null, 2));
  console.log(`\n## Targets\n${format_checks(state.checks)}`);
  for (const f of state.failures) console.log(`FAIL  ${f}`);
  console.log(`\nWrote ${path}`);
  return !state.failures.length && state.checks.every((c) => c.pass);
}
