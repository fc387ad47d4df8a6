// The shapes shared by the runner and the reports: what to run, how, and what was measured.
import type { Instances, Page, Transport } from "./options.ts";
import type { LatencySummary } from "./stats.ts";

/** What to run. */
export interface Scenario {
  label: string;
  target: "app" | "bare";
  instances: Instances;
  transport: Transport;
  /** What each subscriber opens (see options.ts); always "off" for the bare server. */
  page: Page;
  n: number;
  messages: number;
  rate: number;
  senders: number;
  window: number;
  warmup: number;
  db_url: string | null;
  /** `--cold`: no warm-up connections or messages after the restart that follows setup. */
  cold?: boolean;
}

/** How to run it (the same for every scenario of an invocation). */
export interface Settings {
  drain_s: number;
  settle_s: number;
  /** Subscribers opened and closed before the first idle-memory reading (one-time costs). */
  warm_connections: number;
  connect_concurrency: number;
  pin: boolean;
  /** The checkout whose main.ts app servers run (absolute path). */
  app_dir: string;
  log_dir: string;
  /** Seconds to wait for other processes to calm down before each send phase. */
  quiet_s: number;
  /** Force two full GCs in the server (through its inspector) before each memory reading. */
  force_gc: boolean;
  /** When set, app servers run with --cpu-prof into this folder (send phase summarised). */
  prof_dir: string | null;
}

/** The deliveries to one app instance's subscribers. */
export interface InstanceFigures {
  /** The server's letter (a for `<label>-a`, …). */
  name: string;
  /** Subscribers assigned to it. */
  subscribers: number;
  latency: LatencySummary;
  expected: number;
  delivered: number;
}

/** Everything measured in one run. */
export interface RunResult {
  scenario: Scenario;
  database: "embedded" | "postgres" | "none";
  sent: number;
  expected: number;
  delivered: number;
  lost: number;
  lost_messages: number;
  duplicates: number;
  /** Characters pushed to subscribers per delivery (≈ bytes: the frames are ASCII). */
  frame_chars_per_delivery: number;
  latency: LatencySummary;
  /** Latency and deliveries per instance that held subscribers (one entry with one instance). */
  per_instance: InstanceFigures[];
  echo_latency: LatencySummary;
  /** Per message: latency of its first delivery, and first-to-last spread of its deliveries. */
  first_delivery: LatencySummary;
  spread: LatencySummary;
  deliveries_per_s: number;
  peak_deliveries_per_s: number;
  send_seconds: number;
  connection_errors: number;
  error_samples: string[];
  send_errors: number;
  server_stderr_lines: number;
  idle_connections: number;
  /**
   * Subscribers opened per second (--concurrency at a time, incl. auth); in a page mode a
   * subscriber is a page and counts once it has opened all its connections.
   */
  connect_per_s: number;
  idle_kb_per_connection: number;
  /** JS heap growth per idle connection after forced GC (NaN without --inspect). */
  idle_heap_kb_per_connection: number;
  server_peak_rss_kb: number;
  /** Peak RSS of the app while accounts were created (before its restart). */
  setup_peak_rss_kb: number;
  server_cpu_us_per_delivery: number;
  server_cpu_percent: number;
  generator_cpu_percent: number;
  /** CPU of all processes named `postgres` during the send phase (machine-wide). */
  postgres_cpu_percent: number;
  /** Busy percent of each core during the send phase (everything on the machine). */
  cores_busy_percent: number[];
  /** Percent of each core's time taken by the hypervisor (steal) during the send phase. */
  cores_stolen_percent: number[];
  deadline_hit: boolean;
  /** The send phase on the kernel's monotonic clock (µs), to cut CPU profiles to it. */
  send_window_us: [number, number] | null;
  /** Opening the subscribers, on the same clock. */
  connect_window_us: [number, number] | null;
  notes: string[];
  /** Latency CDF points [ms, fraction] for the chart. */
  cdf: [number, number][];
  /** Deliveries per second in 100 ms buckets from the first send. */
  rates: number[];
  /** Worst latency of the messages sent in each 100 ms from the first send. */
  worst_ms: number[];
}

/** A short random id that keeps names unique across runs on one database. */
export function run_id(): string {
  return `b${Date.now().toString(36).slice(-5)}${Math.random().toString(36).slice(2, 5)}`;
}
