// The send phase: wait for a quiet machine, warm up, send (throttled or unthrottled), drain,
// and read the CPU figures around it.
import type { Sender } from "./clients.ts";
import { send_throttled, send_unthrottled, warm_up } from "./pacing.ts";
import {
  busy_strangers,
  core_percent,
  cpu_of_named,
  machine_busy_percent,
  monotonic_us,
  read_all_cpu,
  read_core_times,
  read_cpu_us,
} from "./proc.ts";
import type { Progress } from "./progress.ts";
import type { Scenario, Settings } from "./scenario.ts";
import type { ServerProcess } from "./server_process.ts";
import { type Deadline, wait_until } from "./timing.ts";
import type { Tracker } from "./tracker.ts";

const QUIET_PERCENT = 15;

/**
 * Waits (up to `max_s`) until the machine's cores are less than 15% busy over a second, so
 * other people's processes do not skew the send phase; returns the last reading if never.
 */
export async function wait_for_quiet(
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
export interface SendFigures {
  sent: number;
  seconds: number;
  server_cpu_us: number;
  generator_cpu_us: number;
  postgres_cpu_us: number;
  cores_busy: number[];
  /** Percent of each core's time the hypervisor gave to someone else (steal). */
  cores_stolen: number[];
  /** Other processes that were busy during the send phase. */
  strangers: string[];
  wall_us: number;
  deadline_hit: boolean;
  window_us: [number, number] | null;
  send_errors: number;
  expired: number;
}

/** Runs the send phase and returns its figures. */
export async function send_phase(
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
  const cores_after = read_core_times();
  const everyone_after = read_all_cpu();
  return {
    sent: counter.sent,
    seconds,
    server_cpu_us: cpu_after.reduce((sum, cpu, i) => sum + cpu - cpu_before[i], 0),
    generator_cpu_us: read_cpu_us("self") - generator_before,
    postgres_cpu_us: cpu_of_named(everyone_before, everyone_after, "postgres"),
    cores_busy: core_percent(cores_before, cores_after),
    cores_stolen: core_percent(cores_before, cores_after, "steal"),
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

/** The figures of a run without a send phase (idle only). */
export const NO_SEND: SendFigures = {
  sent: 0,
  seconds: 0,
  server_cpu_us: 0,
  generator_cpu_us: 0,
  postgres_cpu_us: 0,
  cores_busy: [],
  cores_stolen: [],
  strangers: [],
  wall_us: 0,
  deadline_hit: false,
  window_us: null,
  send_errors: 0,
  expired: 0,
};
