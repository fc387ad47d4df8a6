// `deno task bench`: load-tests the chat server (see bench/README.md).
import { COLORS, render_chart } from "./chart.ts";
import {
  type Check,
  checks_for,
  cross_instance_check,
  format_checks,
  many_instances_checks,
} from "./checks.ts";
import { type BenchOptions, connections_per_page, parse_options, USAGE } from "./options.ts";
import { can_pin, is_pinned, rerun_pinned } from "./pinning.ts";
import {
  OUT_DIR,
  result_json,
  run_with_progress,
  scenario_from,
  settings_from,
  write_out,
} from "./plan.ts";
import { open_file_limit } from "./proc.ts";
import { describe, print_run } from "./report.ts";
import type { RunResult } from "./scenario.ts";
import { stop_all_servers } from "./server_process.ts";
import { run_suite } from "./suite.ts";
import { Deadline } from "./timing.ts";

function print_environment(options: BenchOptions): void {
  const pinned = is_pinned()
    ? "generator pinned to core 1, servers to core 0"
    : options.pin && !can_pin()
    ? "not pinned (taskset missing or one core)"
    : "not pinned";
  const db = options.db
    ? `Postgres ${new URL(options.db).host}${new URL(options.db).pathname}`
    : "embedded PGlite";
  const app = options.app_dir ? ` · app from ${options.app_dir}` : "";
  const page = options.page === "off" ? "" : ` · --page=${options.page}`;
  console.log(`chat bench · Deno ${Deno.version.deno} · ${pinned} · ${db}${app}${page}`);
  const limit = open_file_limit();
  const per_page = connections_per_page(options.page);
  const needed = (options.suite ? 1000 : options.n) * per_page + options.senders + 100;
  if (limit !== null && limit < needed) {
    console.warn(
      `warning: open-file limit is ${limit}, this run needs about ${needed} in this process ` +
        `(and as many in the server); run \`ulimit -n ${needed * 2}\` in the shell first`,
    );
  }
}

/** The measured run, what it is compared with, and the targets checked. */
interface Outcome {
  app: RunResult;
  other: RunResult | null;
  titles: [string, string];
  checks: Check[];
}

async function run_single(options: BenchOptions, deadline: Deadline): Promise<Outcome> {
  const settings = settings_from(options);
  const run = (target: "app" | "bare", overrides = {}) =>
    run_with_progress(scenario_from(options, target, overrides), settings, deadline);
  if (options.instances > 1) {
    const one = await run("app", { instances: 1 });
    const many = await run("app");
    const two = options.instances === 2;
    return {
      app: many,
      other: one,
      titles: [two ? "two" : "four", "one"],
      checks: two ? [cross_instance_check(one, many)] : many_instances_checks(one, many),
    };
  }
  const bare = options.reference ? await run("bare") : null;
  const app = await run("app");
  return { app, other: bare, titles: ["app", "bare"], checks: checks_for(app, bare) };
}

async function write_single(outcome: Outcome): Promise<void> {
  const { app, other, titles, checks } = outcome;
  const series = [{ name: titles[0], result: app, color: COLORS[0] }];
  if (other) series.push({ name: titles[1], result: other, color: COLORS[1] });
  const chart = await write_out(`${app.scenario.label}.svg`, render_chart(describe(app), series));
  const json = await write_out(
    "last_run.json",
    JSON.stringify({ app: result_json(app), other: other && result_json(other), checks }, null, 2),
  );
  console.log(`\nWrote ${chart} and ${json}`);
}

async function single(options: BenchOptions, deadline: Deadline): Promise<boolean> {
  const outcome = await run_single(options, deadline);
  console.log();
  print_run(outcome.app, outcome.other, outcome.titles);
  console.log(`\nTargets (defined at N=1000 50/s, N=100 unthrottled, N=1000 idle):`);
  console.log(format_checks(outcome.checks));
  await write_single(outcome);
  return outcome.checks.every((c) => c.pass);
}

/** Parses options, pins itself to core 1, runs one mode or the suite; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parse_options(args, Deno.env.toObject());
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) return (console.log(USAGE), 0);
  const code = await rerun_pinned(options.pin);
  if (code !== null) return code;
  print_environment(options);
  await Deno.mkdir(`${OUT_DIR}/logs`, { recursive: true });
  const deadline = new Deadline(options.deadline_s);
  const watchdog = setTimeout(async () => {
    console.error(`\nGlobal deadline (${options.deadline_s} s) long passed; stopping servers`);
    await stop_all_servers();
    Deno.exit(3);
  }, options.deadline_s * 1000 + 30_000);
  const interrupt = async () => {
    await stop_all_servers();
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", interrupt);
  try {
    const passed = options.suite
      ? await run_suite(options, deadline)
      : await single(options, deadline);
    return passed ? 0 : 1;
  } catch (error) {
    console.error(`\nbench failed: ${(error as Error).stack ?? error}`);
    return 2;
  } finally {
    clearTimeout(watchdog);
    Deno.removeSignalListener("SIGINT", interrupt);
    await stop_all_servers();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
