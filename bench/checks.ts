// Target checks from the issue: throttled, unthrottled, idle memory, two and four instances.
import { ms, one, ratio, show, whole } from "./format.ts";
import type { RunResult } from "./scenario.ts";

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

/** Idle-memory target: ≤ 35 KB per idle connection (per page, in a page mode). */
export function idle_check(app: RunResult): Check {
  const unit = app.scenario.page === "off" ? "connection" : `${app.scenario.page} page`;
  return {
    target: `${app.scenario.transport} idle (N=${app.idle_connections}): ≤ 35 KB/${unit}`,
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

/**
 * Four-instance targets: p99 (over every subscriber, and on each instance) ≤ 2× one instance
 * with the same load, nothing lost.
 */
export function many_instances_checks(single: RunResult, many: RunResult): Check[] {
  const shape = `${many.scenario.instances} instances`;
  const limit = 2 * single.latency.p99;
  const worst = many.per_instance.reduce(
    (top, i) => (i.latency.p99 > top.latency.p99 ? i : top),
    many.per_instance[0],
  );
  return [
    {
      target: `${shape}: p99 ≤ 2× one instance`,
      measured: `${ratio(many.latency.p99, single.latency.p99)} (${ms(many.latency.p99)} vs ${
        ms(single.latency.p99)
      } ms)`,
      pass: many.latency.p99 <= limit,
    },
    {
      target: `${shape}: each instance's p99 ≤ 2× one instance`,
      measured: `worst ${worst?.name ?? "–"} ${
        ratio(worst?.latency.p99 ?? NaN, single.latency.p99)
      }`,
      pass: many.per_instance.every((i) => i.latency.p99 <= limit),
    },
    {
      target: `${shape}: zero lost`,
      measured: `${many.lost} lost of ${many.expected}, ${many.duplicates} duplicated`,
      pass: many.lost === 0 && many.expected > 0,
    },
  ];
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

/** Target checks as a Markdown table. */
export function checks_markdown(checks: Check[]): string {
  return [
    "| target | measured | result |",
    "|---|---|---|",
    ...checks.map((c) => `| ${c.target} | ${c.measured} | ${c.pass ? "PASS" : "**FAIL**"} |`),
  ].join("\n");
}
