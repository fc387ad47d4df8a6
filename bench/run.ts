// One measured run: start servers, prepare accounts, open idle connections (memory), send,
// and collect every figure.
import type { Connection } from "./clients.ts";
import { open_senders, open_subscribers } from "./connections.ts";
import { collect_garbage } from "./inspector.ts";
import { busy_strangers, monotonic_us, read_all_cpu, read_memory } from "./proc.ts";
import { summarize_send_phase } from "./profile_summary.ts";
import type { Progress } from "./progress.ts";
import { build_result, type Idle, sending_notes } from "./result.ts";
import { run_id, type RunResult, type Scenario, type Settings } from "./scenario.ts";
import { NO_SEND, send_phase, wait_for_quiet } from "./send.ts";
import { type ServerProcess, start_server } from "./server_process.ts";
import { type Endpoints, prepare_app, prepare_bare } from "./setup.ts";
import { type Deadline, sleep } from "./timing.ts";
import { ErrorLog, Tracker } from "./tracker.ts";

async function start_servers(s: Scenario, settings: Settings): Promise<ServerProcess[]> {
  const names = s.target === "bare" ? ["bare"] : ["a", "b", "c", "d"].slice(0, s.instances);
  const servers: ServerProcess[] = [];
  try {
    for (const name of names) {
      servers.push(
        await start_server({
          name: `${s.label}-${name}`,
          kind: s.target,
          app_dir: settings.app_dir,
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

/**
 * The servers subscribers connect to: B with two instances (senders on A), else every one
 * (four instances share the subscribers round robin, see prepare_app).
 */
export function subscriber_servers(s: Scenario, servers: ServerProcess[]): ServerProcess[] {
  return s.instances === 2 ? servers.slice(1) : servers;
}

/**
 * RSS after forcing GC (when the inspector is on) and a settling pause, and the JS heap,
 * summed over `servers`.
 */
async function settled_memory(
  servers: ServerProcess[],
  settle_s: number,
  notes: string[],
): Promise<{ rss_kb: number; heap_bytes: number }> {
  let heap_bytes = 0;
  for (const server of servers) {
    if (server.inspect_port === null) {
      heap_bytes = NaN;
      continue;
    }
    try {
      heap_bytes += (await collect_garbage(server.inspect_port)).used;
    } catch (error) {
      heap_bytes = NaN;
      notes.push(`could not force GC: ${(error as Error).message}`);
    }
  }
  await sleep(settle_s * 1000);
  const rss_kb = servers.reduce((sum, server) => sum + read_memory(server.pid).rss_kb, 0);
  return { rss_kb, heap_bytes };
}

/** Accounts and room (app; then a restart for a fresh heap), or the bare endpoints. */
async function prepare(
  s: Scenario,
  servers: ServerProcess[],
  settings: Settings,
  progress: Progress,
): Promise<{ endpoints: Endpoints; setup_peak_kb: number }> {
  const counts = { subscribers: s.n, senders: s.messages > 0 ? s.senders : 0 };
  const sub_bases = subscriber_servers(s, servers).map((server) => server.base);
  const sub_base = sub_bases[0];
  if (s.target === "bare") return { endpoints: prepare_bare(sub_base, counts), setup_peak_kb: NaN };
  progress.phase("preparing accounts and room");
  const bases = { send_base: servers[0].base, sub_base, sub_bases };
  const run = { id: run_id(), page: s.page };
  const endpoints = await prepare_app(bases, counts, run, settings.connect_concurrency);
  // Setup (hundreds of page renders) leaves freed memory behind that later allocations
  // reuse, which would hide what connections cost; a restart gives a fresh process.
  progress.phase("restarting the app after setup (fresh heap; data kept)");
  const setup_peak_kb = servers.reduce((sum, server) => sum + read_memory(server.pid).hwm_kb, 0);
  for (const server of servers) await server.restart();
  return { endpoints, setup_peak_kb };
}

/**
 * Opens and closes the first few subscribers before the first memory reading: what the first
 * connections cost once (compiled code, the database pool filling up) is not a cost per
 * connection, and would otherwise be spread over N. Done alike for the app and the bare server.
 */
async function warm_up(
  s: Scenario,
  endpoints: Endpoints,
  settings: Settings,
  progress: Progress,
): Promise<void> {
  const count = Math.min(settings.warm_connections, endpoints.subscribers.length);
  if (!count) return;
  const what = s.page === "off" ? "connections" : "pages";
  progress.phase(`warming up: opening and closing ${count} ${what}`);
  const unused = new Tracker(count, 0, 0);
  const warm = (await open_subscribers(
    s,
    endpoints.subscribers.slice(0, count),
    unused,
    new ErrorLog(),
    settings.connect_concurrency,
    { count: 0 },
  )).filter((c): c is Connection => c !== null);
  await sleep(1000);
  for (const connection of warm) connection.close();
  await sleep(1000);
}

/**
 * Opens senders, then subscribers between two settled memory readings of the servers that
 * hold subscribers (B with two instances).
 */
async function open_idle(
  s: Scenario,
  endpoints: Endpoints,
  sub_servers: ServerProcess[],
  context: {
    deadline: Deadline;
    settings: Settings;
    progress: Progress;
    notes: string[];
    own_pids: () => number[];
  },
): Promise<Idle> {
  const { settings, progress, notes } = context;
  const warmup = s.messages > 0 ? s.warmup : 0;
  const tracker = new Tracker(s.n, warmup + s.messages, warmup);
  // Subscriber i connects to sub_servers[i % length] (prepare_app spreads them that way).
  const group_of = Uint8Array.from({ length: s.n }, (_, i) => i % sub_servers.length);
  tracker.set_groups(group_of, sub_servers.length);
  const owner_of = new Int16Array(warmup + s.messages).fill(-1);
  const errors = new ErrorLog();
  const senders = await open_senders(endpoints.senders, tracker, owner_of, errors);
  await warm_up(s, endpoints, settings, progress);
  const busy = await wait_for_quiet(settings.quiet_s, context.deadline, progress);
  if (busy !== null) notes.push(`machine was ${Math.round(busy)}% busy when connecting started`);
  progress.phase("settling before idle memory reading");
  const before = await settled_memory(sub_servers, settings.settle_s, notes);
  const opened = { count: 0 };
  const everyone_before = read_all_cpu();
  const window_start = monotonic_us();
  const start = performance.now();
  progress.phase("connecting", () => `${opened.count}/${s.n}  errors ${errors.count}`);
  const subscribers = (await open_subscribers(
    s,
    endpoints.subscribers,
    tracker,
    errors,
    settings.connect_concurrency,
    opened,
  )).filter((c): c is Connection => c !== null);
  const connect_seconds = (performance.now() - start) / 1000;
  const connect_window_us: [number, number] = [window_start, monotonic_us()];
  // The opening rate is a figure too: name neighbours that were busy meanwhile.
  const own = [Deno.pid, ...context.own_pids()];
  const wall_us = connect_seconds * 1e6;
  const after_cpu = read_all_cpu();
  // More than 3 clock ticks: a short phase (the bare server's) would otherwise list one tick.
  for (const stranger of busy_strangers(everyone_before, after_cpu, own, wall_us, 5, 30_000)) {
    notes.push(`other process busy while connecting: ${stranger}`);
  }
  progress.phase("settling after opening idle connections");
  const after = await settled_memory(sub_servers, settings.settle_s, notes);
  return {
    tracker,
    errors,
    senders,
    subscribers,
    connect_seconds,
    connect_window_us,
    rss_kb: after.rss_kb - before.rss_kb,
    heap_bytes: after.heap_bytes - before.heap_bytes,
  };
}

async function measure(
  s: Scenario,
  servers: ServerProcess[],
  context: { deadline: Deadline; settings: Settings; progress: Progress },
): Promise<RunResult> {
  const notes: string[] = [];
  const { endpoints, setup_peak_kb } = await prepare(
    s,
    servers,
    context.settings,
    context.progress,
  );
  const own_pids = () => servers.map((server) => server.pid);
  const sub_servers = subscriber_servers(s, servers);
  const idle = await open_idle(s, endpoints, sub_servers, { ...context, notes, own_pids });
  const sending = s.messages > 0
    ? await send_phase(s, idle.senders, idle.tracker, servers, { ...context, notes })
    : NO_SEND;
  const peaks = servers.map((server) => read_memory(server.pid).hwm_kb);
  for (const connection of [...idle.subscribers, ...idle.senders]) connection.close();
  notes.push(...sending_notes(sending));
  // Each instance by its letter (servers are named `<label>-a` …).
  const groups = sub_servers.map((server) => server.name.slice(s.label.length + 1));
  return build_result(s, servers, idle, sending, { setup_peak_kb, peaks, notes, groups });
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
    const phases = [
      ["send", result?.send_window_us, "send_phase.txt"],
      ["connect", result?.connect_window_us, "connect_phase.txt"],
    ] as const;
    for (const [phase, window, file] of phases) {
      if (!window || !result) continue;
      for (const server of servers) {
        const summary = await summarize_send_phase(server.prof_dir, window, file);
        if (summary) result.notes.push(`${phase}-phase CPU profile summary: ${summary}`);
      }
    }
  }
}
