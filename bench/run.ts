// One measured run: start servers, prepare accounts, open idle connections (memory), warm
// up, send (throttled or unthrottled), drain, and collect every figure.
import {
  type Connection,
  ErrorLog,
  open_sse,
  open_ws,
  scan_markers,
  Sender,
  Tracker,
} from "./clients.ts";
import type { Transport } from "./options.ts";
import { collect_garbage } from "./inspector.ts";
import {
  busy_strangers,
  core_busy_percent,
  cpu_of_named,
  machine_busy_percent,
  monotonic_us,
  read_all_cpu,
  read_core_times,
  read_cpu_us,
  read_memory,
} from "./proc.ts";
import { summarize_send_phase } from "./profile_summary.ts";
import type { Progress } from "./progress.ts";
import { type ServerProcess, start_server } from "./server_process.ts";
import { type Endpoint, prepare_app, prepare_bare } from "./setup.ts";
import { type LatencySummary, quantile, summarize } from "./stats.ts";
import { type Deadline, map_limited, sleep, wait_until } from "./timing.ts";

/** What to run. */
export interface Scenario {
  label: string;
  target: "app" | "bare";
  instances: 1 | 2;
  transport: Transport;
  n: number;
  messages: number;
  rate: number;
  senders: number;
  window: number;
  warmup: number;
  db_url: string | null;
}

/** How to run it (the same for every scenario of an invocation). */
export interface Settings {
  drain_s: number;
  settle_s: number;
  connect_concurrency: number;
  pin: boolean;
  log_dir: string;
  /** Seconds to wait for other processes to calm down before each send phase. */
  quiet_s: number;
  /** Force two full GCs in the server (through its inspector) before each memory reading. */
  force_gc: boolean;
  /** When set, app servers run with --cpu-prof into this folder (send phase summarised). */
  prof_dir: string | null;
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
  latency: LatencySummary;
  echo_latency: LatencySummary;
  deliveries_per_s: number;
  peak_deliveries_per_s: number;
  send_seconds: number;
  connection_errors: number;
  error_samples: string[];
  send_errors: number;
  server_stderr_lines: number;
  idle_connections: number;
  /** Subscriber connections opened per second (--concurrency at a time, incl. auth). */
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
  deadline_hit: boolean;
  /** The send phase on the kernel's monotonic clock (µs), to cut CPU profiles to it. */
  send_window_us: [number, number] | null;
  notes: string[];
  /** Latency CDF points [ms, fraction] for the chart. */
  cdf: [number, number][];
  /** Deliveries per second in 100 ms buckets from the first send. */
  rates: number[];
  /** Worst latency of the messages sent in each 100 ms from the first send. */
  worst_ms: number[];
}

const CONNECT_TIMEOUT_MS = 15_000;
const CDF_POINTS = 400;

/** A short random id that keeps names unique across runs on one database. */
export function run_id(): string {
  return `b${Date.now().toString(36).slice(-5)}${Math.random().toString(36).slice(2, 5)}`;
}

async function start_servers(s: Scenario, settings: Settings): Promise<ServerProcess[]> {
  const names = s.target === "bare" ? ["bare"] : s.instances === 2 ? ["a", "b"] : ["a"];
  const servers: ServerProcess[] = [];
  try {
    for (const name of names) {
      servers.push(
        await start_server({
          name: `${s.label}-${name}`,
          kind: s.target,
          db_url: s.db_url,
          pin: settings.pin,
          log_dir: settings.log_dir,
          cpu_prof_dir: s.target === "app" ? settings.prof_dir : null,
          // Idle-only runs: after an inspector session the app's WebSocket sends were
          // measurably slower (Deno reports frames to the inspector), so load runs skip it.
          inspect: settings.force_gc && s.messages === 0,
        }),
      );
    }
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    throw error;
  }
  return servers;
}

function transport_of(s: Scenario, index: number): "ws" | "sse" {
  if (s.transport === "mix") return index % 2 ? "sse" : "ws";
  return s.transport;
}

function open_subscribers(
  s: Scenario,
  endpoints: Endpoint[],
  tracker: Tracker,
  errors: ErrorLog,
  concurrency: number,
  opened: { count: number },
): Promise<(Connection | null)[]> {
  return map_limited(endpoints, concurrency, async (endpoint, sub) => {
    const handlers = {
      on_text: (text: string) => {
        const now = performance.now();
        scan_markers(text, (index, sent_us) => tracker.record(sub, index, sent_us, now));
      },
      on_drop: (reason: string) => errors.add(`subscriber ${sub}: ${reason}`),
    };
    try {
      const connection = transport_of(s, sub) === "ws"
        ? await open_ws(endpoint.ws_url, endpoint.headers, handlers, CONNECT_TIMEOUT_MS)
        : await open_sse(endpoint.sse_url, endpoint.headers, handlers, CONNECT_TIMEOUT_MS);
      opened.count++;
      return connection;
    } catch (error) {
      errors.add(`subscriber ${sub}: ${(error as Error).message}`);
      return null;
    }
  });
}

async function open_senders(
  endpoints: Endpoint[],
  tracker: Tracker,
  owner_of: Int16Array,
  errors: ErrorLog,
): Promise<Sender[]> {
  const senders = endpoints.map((_, id) => new Sender(id, tracker, owner_of));
  await Promise.all(senders.map((sender, id) => {
    const { ws_url, headers } = endpoints[id];
    return sender.open(ws_url, headers, errors, CONNECT_TIMEOUT_MS);
  }));
  return senders;
}

const QUIET_PERCENT = 15;

/**
 * Waits (up to `max_s`) until the machine's cores are less than 15% busy over a second, so
 * other people's processes do not skew the send phase; returns the last reading if never.
 */
async function wait_for_quiet(
  max_s: number,
  deadline: Deadline,
  progress: Progress,
): Promise<number | null> {
  const end = performance.now() + deadline.cap(max_s * 1000);
  let busy = 0;
  progress.phase("waiting for a quiet machine", () => `${Math.round(busy)}% busy`);
  do {
    busy = await machine_busy_percent(1000);
    if (busy < QUIET_PERCENT) return null;
  } while (performance.now() < end);
  return busy;
}

/** RSS after forcing GC (when the inspector is on) and a settling pause, and the JS heap. */
async function settled_memory(
  server: ServerProcess,
  settle_s: number,
  notes: string[],
): Promise<{ rss_kb: number; heap_bytes: number }> {
  let heap_bytes = NaN;
  if (server.inspect_port !== null) {
    try {
      heap_bytes = (await collect_garbage(server.inspect_port)).used;
    } catch (error) {
      notes.push(`could not force GC: ${(error as Error).message}`);
    }
  }
  await sleep(settle_s * 1000);
  return { rss_kb: read_memory(server.pid).rss_kb, heap_bytes };
}

/** Sends warm-up messages one at a time and waits for each to reach everyone. */
async function warm_up(
  senders: Sender[],
  tracker: Tracker,
  deadline: Deadline,
): Promise<string | null> {
  for (let index = 0; index < tracker.first_measured; index++) {
    const sender = senders[index % senders.length];
    sender.send(index);
    const everyone = () => tracker.per_message[index] >= tracker.subscribers && !sender.in_flight;
    if (!(await wait_until(everyone, deadline.cap(10_000), 5))) {
      const got = tracker.per_message[index];
      return `warm-up message ${index} reached ${got} of ${tracker.subscribers} subscribers`;
    }
  }
  return null;
}

/** Sends `count` messages at `rate` per second in total, round-robin over the senders. */
async function send_throttled(
  senders: Sender[],
  first: number,
  count: number,
  rate: number,
  deadline: Deadline,
  counter: { sent: number },
): Promise<void> {
  const start = performance.now();
  for (let k = 0; k < count; k++) {
    const wait = start + k * 1000 / rate - performance.now();
    if (wait > 0) await sleep(wait);
    if (deadline.passed()) return;
    senders[k % senders.length].send(first + k);
    counter.sent++;
  }
}

/** Sends as fast as possible, each sender keeping at most `window` messages unacknowledged. */
async function send_unthrottled(
  senders: Sender[],
  first: number,
  count: number,
  window: number,
  limits: { deadline: Deadline; stall_ms: number },
  counter: { sent: number },
): Promise<void> {
  let next = first;
  const end = first + count;
  async function pump(sender: Sender) {
    while (next < end && !limits.deadline.passed() && sender.open_now) {
      if (sender.in_flight < window) {
        sender.send(next++);
        counter.sent++;
        continue;
      }
      await sender.wait_progress(250);
      sender.expire(limits.stall_ms);
    }
  }
  await Promise.all(senders.map(pump));
}

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

function live_status(tracker: Tracker, counter: { sent: number }, total: number, n: number) {
  let last = { at: performance.now(), delivered: tracker.delivered };
  return () => {
    const now = performance.now();
    const rate = (tracker.delivered - last.delivered) * 1000 / Math.max(1, now - last.at);
    if (now - last.at > 900) last = { at: now, delivered: tracker.delivered };
    return `sent ${counter.sent}/${total}  delivered ${tracker.delivered}/${counter.sent * n}` +
      `  ${Math.round(rate).toLocaleString("en-US")}/s  dup ${tracker.duplicates}`;
  };
}

/** Figures from the send phase (all zero for an idle-only run). */
interface SendFigures {
  sent: number;
  seconds: number;
  server_cpu_us: number;
  generator_cpu_us: number;
  postgres_cpu_us: number;
  cores_busy: number[];
  /** Other processes that were busy during the send phase. */
  strangers: string[];
  wall_us: number;
  deadline_hit: boolean;
  window_us: [number, number] | null;
  send_errors: number;
  expired: number;
}

async function send_phase(
  s: Scenario,
  senders: Sender[],
  tracker: Tracker,
  servers: ServerProcess[],
  context: { deadline: Deadline; settings: Settings; progress: Progress; notes: string[] },
): Promise<SendFigures> {
  const { deadline, settings, progress } = context;
  const busy = await wait_for_quiet(settings.quiet_s, deadline, progress);
  if (busy !== null) {
    context.notes.push(`machine was ${Math.round(busy)}% busy when the send phase started`);
  }
  progress.phase("warming up");
  const warning = await warm_up(senders, tracker, deadline);
  if (warning) context.notes.push(warning);
  const counter = { sent: 0 };
  const cpu_before = servers.map((server) => read_cpu_us(server.pid));
  const generator_before = read_cpu_us("self");
  const cores_before = read_core_times();
  const everyone_before = read_all_cpu();
  const window_start = monotonic_us();
  const start = performance.now();
  tracker.start(start);
  progress.phase("sending", live_status(tracker, counter, s.messages, s.n));
  const first = tracker.first_measured;
  if (s.rate > 0) {
    await send_throttled(senders, first, s.messages, s.rate, deadline, counter);
  } else {
    const limits = { deadline, stall_ms: settings.drain_s * 1000 };
    await send_unthrottled(senders, first, s.messages, s.window, limits, counter);
  }
  const seconds = (performance.now() - start) / 1000;
  progress.phase("draining", live_status(tracker, counter, s.messages, s.n));
  const all_in = () => tracker.delivered >= counter.sent * s.n;
  await wait_until(all_in, deadline.cap(settings.drain_s * 1000), 5);
  const wall_us = (performance.now() - start) * 1000;
  const cpu_after = servers.map((server) => read_cpu_us(server.pid));
  const everyone_after = read_all_cpu();
  return {
    sent: counter.sent,
    seconds,
    server_cpu_us: cpu_after.reduce((sum, cpu, i) => sum + cpu - cpu_before[i], 0),
    generator_cpu_us: read_cpu_us("self") - generator_before,
    postgres_cpu_us: cpu_of_named(everyone_before, everyone_after, "postgres"),
    cores_busy: core_busy_percent(cores_before, read_core_times()),
    strangers: busy_strangers(
      everyone_before,
      everyone_after,
      [Deno.pid, ...servers.map((server) => server.pid)],
      wall_us,
    ),
    wall_us,
    deadline_hit: deadline.passed(),
    window_us: [window_start, monotonic_us()],
    send_errors: senders.reduce((sum, sender) => sum + sender.send_errors, 0),
    expired: senders.reduce((sum, sender) => sum + sender.expired, 0),
  };
}

const NO_SEND: SendFigures = {
  sent: 0,
  seconds: 0,
  server_cpu_us: 0,
  generator_cpu_us: 0,
  postgres_cpu_us: 0,
  cores_busy: [],
  strangers: [],
  wall_us: 0,
  deadline_hit: false,
  window_us: null,
  send_errors: 0,
  expired: 0,
};

async function measure(
  s: Scenario,
  servers: ServerProcess[],
  context: { deadline: Deadline; settings: Settings; progress: Progress },
): Promise<RunResult> {
  const { settings, progress } = context;
  const notes: string[] = [];
  const send_server = servers[0];
  const sub_server = servers[servers.length - 1];
  const counts = { subscribers: s.n, senders: s.messages > 0 ? s.senders : 0 };
  progress.phase("preparing accounts and room");
  const endpoints = s.target === "app"
    ? await prepare_app(
      { send_base: send_server.base, sub_base: sub_server.base },
      counts,
      run_id(),
      settings.connect_concurrency,
    )
    : prepare_bare(sub_server.base, counts);
  let setup_peak_kb = NaN;
  if (s.target === "app") {
    // Setup (hundreds of page renders) leaves freed memory behind that later allocations
    // reuse, which would hide what connections cost; a restart gives a fresh process.
    progress.phase("restarting the app after setup (fresh heap; data kept)");
    setup_peak_kb = servers.reduce((sum, server) => sum + read_memory(server.pid).hwm_kb, 0);
    for (const server of servers) await server.restart();
  }
  const warmup = s.messages > 0 ? s.warmup : 0;
  const tracker = new Tracker(s.n, warmup + s.messages, warmup);
  const owner_of = new Int16Array(warmup + s.messages).fill(-1);
  const errors = new ErrorLog();
  const senders = await open_senders(endpoints.senders, tracker, owner_of, errors);
  progress.phase("settling before idle memory reading");
  const before = await settled_memory(sub_server, settings.settle_s, notes);
  const opened = { count: 0 };
  const connect_start = performance.now();
  progress.phase("connecting", () => `${opened.count}/${s.n}  errors ${errors.count}`);
  const subscribers = (await open_subscribers(
    s,
    endpoints.subscribers,
    tracker,
    errors,
    settings.connect_concurrency,
    opened,
  )).filter((c): c is Connection => c !== null);
  const connect_seconds = (performance.now() - connect_start) / 1000;
  progress.phase("settling after opening idle connections");
  const after = await settled_memory(sub_server, settings.settle_s, notes);
  const sending = s.messages > 0
    ? await send_phase(s, senders, tracker, servers, { ...context, notes })
    : NO_SEND;
  const peaks = servers.map((server) => read_memory(server.pid).hwm_kb);
  for (const connection of [...subscribers, ...senders]) connection.close();
  for (const stranger of sending.strangers) {
    notes.push(`other process busy during the send phase: ${stranger}`);
  }
  if (sending.expired) notes.push(`${sending.expired} sends stopped waiting for their echo`);
  if (sending.deadline_hit) notes.push("global deadline reached during the send phase");
  const sorted = tracker.latencies.sorted();
  const expected = sending.sent * s.n;
  const delivery_span_s = tracker.delivered
    ? (tracker.last_delivery_ms - tracker.timeline.started_at) / 1000
    : 0;
  return {
    scenario: s,
    database: s.target === "bare" ? "none" : s.db_url ? "postgres" : "embedded",
    sent: sending.sent,
    expected,
    delivered: tracker.delivered,
    lost: expected - tracker.delivered,
    lost_messages: tracker.lost_messages(sending.sent),
    duplicates: tracker.duplicates,
    latency: summarize(sorted),
    echo_latency: summarize(tracker.echo_latencies.sorted()),
    deliveries_per_s: delivery_span_s > 0 ? tracker.delivered / delivery_span_s : 0,
    peak_deliveries_per_s: tracker.timeline.peak_rate(1000),
    send_seconds: sending.seconds,
    connection_errors: errors.count,
    error_samples: errors.samples,
    send_errors: sending.send_errors,
    server_stderr_lines: servers.reduce((sum, server) => sum + server.stderr_lines(), 0),
    idle_connections: subscribers.length,
    connect_per_s: subscribers.length / Math.max(connect_seconds, 1e-3),
    idle_kb_per_connection: subscribers.length
      ? (after.rss_kb - before.rss_kb) / subscribers.length
      : NaN,
    idle_heap_kb_per_connection: subscribers.length
      ? (after.heap_bytes - before.heap_bytes) / 1024 / subscribers.length
      : NaN,
    server_peak_rss_kb: peaks.reduce((sum, kb) => sum + kb, 0),
    setup_peak_rss_kb: setup_peak_kb,
    server_cpu_us_per_delivery: tracker.delivered ? sending.server_cpu_us / tracker.delivered : NaN,
    server_cpu_percent: sending.wall_us ? 100 * sending.server_cpu_us / sending.wall_us : NaN,
    generator_cpu_percent: sending.wall_us ? 100 * sending.generator_cpu_us / sending.wall_us : NaN,
    postgres_cpu_percent: sending.wall_us ? 100 * sending.postgres_cpu_us / sending.wall_us : NaN,
    cores_busy_percent: sending.cores_busy,
    deadline_hit: sending.deadline_hit,
    send_window_us: sending.window_us,
    notes,
    cdf: cdf_points(sorted),
    rates: tracker.timeline.rates(),
    worst_ms: tracker.worst.values(),
  };
}

/** Runs one scenario from server start to server stop. */
export async function run_scenario(
  s: Scenario,
  settings: Settings,
  deadline: Deadline,
  progress: Progress,
): Promise<RunResult> {
  progress.phase(
    `starting ${s.target === "bare" ? "bare server" : `${s.instances} app instance(s)`}`,
  );
  const servers = await start_servers(s, settings);
  let result: RunResult | null = null;
  try {
    result = await measure(s, servers, { deadline, settings, progress });
    return result;
  } finally {
    progress.phase("stopping servers");
    await Promise.all(servers.map((server) => server.stop()));
    if (result?.send_window_us) {
      for (const server of servers) {
        const summary = await summarize_send_phase(server.prof_dir, result.send_window_us);
        if (summary) result.notes.push(`send-phase CPU profile summary: ${summary}`);
      }
    }
  }
}
