// Turning a run's raw readings (tracker, idle memory, send phase) into a RunResult.
import type { Connection, Sender } from "./clients.ts";
import type { InstanceFigures, RunResult, Scenario } from "./scenario.ts";
import type { SendFigures } from "./send.ts";
import type { ServerProcess } from "./server_process.ts";
import { quantile, summarize } from "./stats.ts";
import type { ErrorLog, Tracker } from "./tracker.ts";

const CDF_POINTS = 400;

function cdf_points(sorted: Float64Array): [number, number][] {
  if (!sorted.length) return [];
  // Evenly spaced in "nines" (p0 … p99.9) to match the chart's axis, then the maximum.
  const points: [number, number][] = [];
  for (let i = 0; i <= CDF_POINTS; i++) {
    const q = 1 - 10 ** (-3 * i / CDF_POINTS);
    points.push([quantile(sorted, q), q]);
  }
  points.push([sorted[sorted.length - 1], 1]);
  return points;
}

/** Latency and deliveries per group of subscribers (the instance each connected to). */
function per_instance(
  s: Scenario,
  tracker: Tracker,
  sent: number,
  names: string[],
): InstanceFigures[] {
  return tracker.group_latencies.map((samples, group) => {
    // Subscriber i is in group i % groups (see run.ts).
    const subscribers = Math.ceil((s.n - group) / tracker.group_latencies.length);
    return {
      name: names[group] ?? `group ${group}`,
      subscribers,
      latency: summarize(samples.sorted()),
      expected: sent * subscribers,
      delivered: tracker.group_delivered[group],
    };
  });
}

/** The run's connections and the idle-memory readings around opening the subscribers. */
export interface Idle {
  tracker: Tracker;
  errors: ErrorLog;
  senders: Sender[];
  subscribers: Connection[];
  connect_seconds: number;
  /** Opening the subscribers on the kernel's monotonic clock (µs), to cut CPU profiles to it. */
  connect_window_us: [number, number];
  rss_kb: number;
  heap_bytes: number;
}

function percent_of(us: number, wall_us: number): number {
  return wall_us ? 100 * us / wall_us : NaN;
}

/** Turns the raw readings into a RunResult. */
export function build_result(
  s: Scenario,
  servers: ServerProcess[],
  idle: Idle,
  sending: SendFigures,
  extra: { setup_peak_kb: number; peaks: number[]; notes: string[]; groups?: string[] },
): RunResult {
  const { tracker, subscribers } = idle;
  const sorted = tracker.latencies.sorted();
  const split = tracker.split(sending.sent);
  const expected = sending.sent * s.n;
  const span_s = (tracker.last_delivery_ms - tracker.timeline.started_at) / 1000;
  const per_connection = (value: number) => subscribers.length ? value / subscribers.length : NaN;
  return {
    scenario: s,
    database: s.target === "bare" ? "none" : s.db_url ? "postgres" : "embedded",
    sent: sending.sent,
    expected,
    delivered: tracker.delivered,
    lost: expected - tracker.delivered,
    lost_messages: tracker.lost_messages(sending.sent),
    duplicates: tracker.duplicates,
    frame_chars_per_delivery: tracker.all_deliveries
      ? tracker.received_chars / tracker.all_deliveries
      : NaN,
    latency: summarize(sorted),
    per_instance: per_instance(s, tracker, sending.sent, extra.groups ?? []),
    echo_latency: summarize(tracker.echo_latencies.sorted()),
    first_delivery: summarize(split.first),
    spread: summarize(split.spread),
    deliveries_per_s: tracker.delivered && span_s > 0 ? tracker.delivered / span_s : 0,
    peak_deliveries_per_s: tracker.timeline.peak_rate(1000),
    send_seconds: sending.seconds,
    connection_errors: idle.errors.count,
    error_samples: idle.errors.samples,
    send_errors: sending.send_errors,
    server_stderr_lines: servers.reduce((sum, server) => sum + server.stderr_lines(), 0),
    idle_connections: subscribers.length,
    connect_per_s: subscribers.length / Math.max(idle.connect_seconds, 1e-3),
    idle_kb_per_connection: per_connection(idle.rss_kb),
    idle_heap_kb_per_connection: per_connection(idle.heap_bytes / 1024),
    server_peak_rss_kb: extra.peaks.reduce((sum, kb) => sum + kb, 0),
    setup_peak_rss_kb: extra.setup_peak_kb,
    server_cpu_us_per_delivery: tracker.delivered ? sending.server_cpu_us / tracker.delivered : NaN,
    server_cpu_percent: percent_of(sending.server_cpu_us, sending.wall_us),
    generator_cpu_percent: percent_of(sending.generator_cpu_us, sending.wall_us),
    postgres_cpu_percent: percent_of(sending.postgres_cpu_us, sending.wall_us),
    cores_busy_percent: sending.cores_busy,
    cores_stolen_percent: sending.cores_stolen,
    deadline_hit: sending.deadline_hit,
    send_window_us: sending.window_us,
    connect_window_us: idle.connect_window_us,
    notes: extra.notes,
    cdf: cdf_points(sorted),
    rates: tracker.timeline.rates(),
    worst_ms: tracker.worst.values(),
  };
}

/** Steal above this (percent of a core, summed over cores) is worth a note. */
const STEAL_NOTE_PERCENT = 2;

/** Notes about the send phase: busy neighbours, stolen CPU, expired sends, the deadline. */
export function sending_notes(sending: SendFigures): string[] {
  const stolen = sending.cores_stolen.reduce((sum, p) => sum + p, 0);
  return [
    ...(stolen > STEAL_NOTE_PERCENT
      ? [`the hypervisor took ${stolen.toFixed(1)}% of a core (steal) during the send phase`]
      : []),
    ...sending.strangers.map((s) => `other process busy during the send phase: ${s}`),
    ...(sending.expired ? [`${sending.expired} sends stopped waiting for their echo`] : []),
    ...(sending.deadline_hit ? ["global deadline reached during the send phase"] : []),
  ];
}
