// A restart storm: N room pages (feeds=1) are live and caught up; the app is stopped
// (SIGTERM) and started again on the same port and data; nothing is sent while it is down,
// M messages right after it is back; every page reconnects as a real page does and must come
// back, catch up (#synced) and hold every message exactly once.
//
//   ulimit -n 16384
//   flock /tmp/bench.lock deno run -A bench/storm.ts --n=1000 --transport=ws [--db=URL]
//
// Two storms per run, then the bare reference:
//   1. "page": pages reconnect on their own (WebSocket: min(2000, 300*2^retry)*(0.5..1) ms,
//      after=<cursor>&again=1; SSE: the stream's `retry:` with Last-Event-ID). This gives the
//      back-and-caught-up times and the opening rate during the storm.
//   2. "at once": pages wait until the port accepts, then all reconnect in the same instant:
//      the server's own opening rate, comparable with
//   3. the bare server (bench/bare_server.ts), restarted with N connections that reconnect at
//      once from the same generator.
// Writes bench/out/storm-<transport>-n<N>-<pglite|pg>.json; exit 0 when every target passed,
// 1 when one failed, 2 on an error.
import {
  busy_strangers,
  core_percent,
  read_all_cpu,
  read_core_times,
  read_cpu_us,
} from "./proc.ts";
import {
  check_fd_limit,
  count_delivery,
  type Delivery,
  has_all,
  LOG_DIR,
  number_flag,
  open_pages,
  parse_flags,
  rerun_pinned,
  show_spread,
  type Spread,
  spread,
  until,
  write_json,
} from "./storm_common.ts";
import { Page, type PageTarget } from "./storm_page.ts";
import { StormSender } from "./storm_sender.ts";
import { type Restart, storm_spec, StormServer } from "./storm_server.ts";
import { setup_room } from "./storm_common.ts";
import { map_limited, sleep } from "./timing.ts";

const HELP = `deno run -A bench/storm.ts [options]   (run under: flock /tmp/bench.lock …)
  --n=1000            pages (≤ 5000)
  --transport=ws      ws | sse
  --db=URL            Postgres (a scratch database); default: embedded PGlite in a temp folder
  --messages=20       messages sent right after the server is back (per storm)
  --before=5          messages sent before the storm (every page has them)
  --timeout=60        seconds after the port accepts that a storm may take
  --no-at-once        skip the "all at once" storm
  --no-bare           skip the bare reference
  --no-pin            do not pin (server core 0, generator core 1)`;

interface Options {
  n: number;
  transport: "ws" | "sse";
  db: string | null;
  messages: number;
  before: number;
  timeout_s: number;
  at_once: boolean;
  bare: boolean;
  pin: boolean;
}

function options(): Options | null {
  const flags = parse_flags(Deno.args);
  if (flags.has("help")) return null;
  const transport = flags.get("transport") ?? "ws";
  if (transport !== "ws" && transport !== "sse") throw new Error("--transport must be ws or sse");
  return {
    n: number_flag(flags, "n", 1000, 1, 5000),
    transport,
    db: flags.get("db") ?? null,
    messages: number_flag(flags, "messages", 20, 1, 1000),
    before: number_flag(flags, "before", 5, 1, 1000),
    timeout_s: number_flag(flags, "timeout", 60, 5, 300),
    at_once: flags.get("at-once") !== "false",
    bare: flags.get("bare") !== "false",
    pin: flags.get("pin") !== "false",
  };
}

const log = (line: string) =>
  console.log(`[storm ${new Date().toISOString().slice(11, 19)}] ${line}`);

/** What one storm came to. Times are ms after the port accepted again. */
interface StormResult {
  shape: "page" | "at-once";
  /** SIGTERM to exit; exit to listening; listening to a connect probe getting through. */
  restart: { stop_ms: number; start_ms: number; probe_ms: number };
  /** The kernel's ListenOverflows/ListenDrops (whole machine) during the storm. */
  listen_overflows: number;
  listen_drops: number;
  /** Per page: connection open again; open and #synced; every message in. */
  back: Spread;
  caught_up: Spread;
  complete: Spread;
  pages_not_back: number;
  pages_not_caught_up: number;
  pages_incomplete: number;
  /** Pages opened ÷ (last open − accept), and the best one-second window. */
  opened_per_s: number;
  opened_peak_1s: number;
  failed_attempts: number;
  sent: number;
  acked: number;
  refused: number;
  unanswered: number;
  first_send_ms: number;
  last_ack_ms: number;
  generator_cpu_percent: number;
  cores_busy_percent: number[];
  /** Other processes that used ≥ 5% of a core meanwhile (noise). */
  neighbours: string[];
}

function opening_rates(backs: number[]): { all: number; peak: number } {
  const sorted = backs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return { all: NaN, peak: NaN };
  const last = Math.max(sorted[sorted.length - 1], 1);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] > 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  // Less than a second in all: the count over that span, per second.
  return {
    all: sorted.length * 1000 / last,
    peak: last < 1000 ? sorted.length * 1000 / last : peak,
  };
}

/** TcpExt ListenOverflows and ListenDrops from /proc/net/netstat (zeros when unreadable). */
function listen_counters(): { overflows: number; drops: number } {
  try {
    const lines = Deno.readTextFileSync("/proc/net/netstat").split("\n")
      .filter((line) => line.startsWith("TcpExt:"));
    const names = lines[0].split(/\s+/);
    const values = lines[1].split(/\s+/).map(Number);
    return {
      overflows: values[names.indexOf("ListenOverflows")] ?? 0,
      drops: values[names.indexOf("ListenDrops")] ?? 0,
    };
  } catch {
    return { overflows: 0, drops: 0 };
  }
}

/** One stop-and-start of the app with the pages reconnecting in `shape`. */
async function storm(
  app: StormServer,
  pages: Page[],
  sender_target: { url: string; headers: Record<string, string> },
  shape: "page" | "at-once",
  indices: number[],
  expected_before: number[],
  o: Options,
): Promise<{ result: StormResult; acked: number[]; unacked: number[] }> {
  for (const page of pages) page.mode = shape === "page" ? "page" : "hold";
  const term = performance.now();
  for (const page of pages) page.mark(term);
  const failed_before = pages.reduce((sum, p) => sum + p.failed_attempts, 0);
  const sender = new StormSender(sender_target.url, sender_target.headers);
  const listen0 = listen_counters();
  const restart: Restart = await app.restart();
  const accept = restart.accept_at;
  const cpu0 = read_cpu_us("self");
  const cores0 = read_core_times();
  const all0 = read_all_cpu();
  if (shape === "at-once") {
    for (const page of pages) page.mode = "page";
    for (const page of pages) page.reconnect_now();
  }
  // Right after it is back: the sender connects and sends M messages back to back.
  await sender.open(o.timeout_s * 1000, 5);
  const first_send = performance.now();
  for (const k of indices) sender.send(k);
  const deadline = accept + o.timeout_s * 1000;
  await sender.settle(Math.max(0, deadline - performance.now()));
  const acked = indices.filter((k) => sender.acked.has(k));
  const expected = [...expected_before, ...acked];
  await until(
    () => pages.every((p) => !Number.isNaN(p.caught_up_at) && has_all(p, expected)),
    Math.max(0, deadline - performance.now()),
  );
  const done = performance.now();
  const cpu = read_cpu_us("self") - cpu0;
  const cores = core_percent(cores0, read_core_times());
  const listen1 = listen_counters();
  const probe_at = await restart.probe_at;
  const neighbours = busy_strangers(
    all0,
    read_all_cpu(),
    [Deno.pid, app.pid],
    (done - accept) * 1000,
  );
  sender.close();
  const complete = pages.map((p) => {
    if (Number.isNaN(p.caught_up_at) || !has_all(p, expected)) return NaN;
    let last = p.caught_up_at;
    for (const k of acked) last = Math.max(last, p.first_at![k]);
    return last - accept;
  });
  const backs = pages.map((p) => p.back_at - accept);
  const rates = opening_rates(backs);
  const last_ack = Math.max(...acked.map((k) => sender.acked.get(k)!));
  const result: StormResult = {
    shape,
    restart: {
      stop_ms: restart.exited_at - restart.term_at,
      start_ms: restart.accept_at - restart.exited_at,
      probe_ms: probe_at - restart.accept_at,
    },
    listen_overflows: listen1.overflows - listen0.overflows,
    listen_drops: listen1.drops - listen0.drops,
    back: spread(backs),
    caught_up: spread(pages.map((p) => p.caught_up_at - accept)),
    complete: spread(complete),
    pages_not_back: pages.filter((p) => Number.isNaN(p.back_at)).length,
    pages_not_caught_up: pages.filter((p) => Number.isNaN(p.caught_up_at)).length,
    pages_incomplete: complete.filter((c) => Number.isNaN(c)).length,
    opened_per_s: rates.all,
    opened_peak_1s: rates.peak,
    failed_attempts: pages.reduce((sum, p) => sum + p.failed_attempts, 0) - failed_before,
    sent: indices.length,
    acked: acked.length,
    refused: sender.refused.size,
    unanswered: sender.unanswered,
    first_send_ms: first_send - accept,
    last_ack_ms: last_ack - accept,
    generator_cpu_percent: cpu / 10 / (done - accept),
    cores_busy_percent: cores.map((c) => Math.round(c)),
    neighbours,
  };
  return { result, acked, unacked: indices.filter((k) => !sender.acked.has(k)) };
}

/** The bare server restarted under N connections that all reconnect at once. */
async function bare_storm(o: Options): Promise<
  { opened_per_s: number; back: Spread; not_back: number; restart_ms: number; stderr: number }
> {
  const bare = new StormServer(
    storm_spec("bare", `storm-bare-${o.transport}-n${o.n}`, null, LOG_DIR, o.pin),
  );
  await bare.start();
  const target: PageTarget = {
    transport: o.transport,
    ws_url: `${bare.base.replace(/^http/, "ws")}/live`,
    sse_url: `${bare.base}/events`,
    headers: {},
  };
  const pages = Array.from({ length: o.n }, (_, i) => new Page(i, target, "hold", 1, false));
  try {
    await map_limited(pages, 64, (page) => page.start());
    const term = performance.now();
    for (const page of pages) page.mark(term);
    const restart = await bare.restart();
    for (const page of pages) page.mode = "page";
    for (const page of pages) page.reconnect_now();
    await until(() => pages.every((p) => !Number.isNaN(p.back_at)), o.timeout_s * 1000);
    const backs = pages.map((p) => p.back_at - restart.accept_at);
    return {
      opened_per_s: opening_rates(backs).all,
      back: spread(backs),
      not_back: pages.filter((p) => Number.isNaN(p.back_at)).length,
      restart_ms: restart.accept_at - restart.term_at,
      stderr: bare.stderr_lines,
    };
  } finally {
    for (const page of pages) page.close();
    await bare.stop();
  }
}

function describe(r: StormResult, n: number): string[] {
  const f = (v: number) => Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "–";
  return [
    `  restart: stop ${f(r.restart.stop_ms)} ms, start ${
      f(r.restart.start_ms)
    } ms (to listening); ` +
    `a connect probe got in ${
      f(r.restart.probe_ms)
    } ms later; listen overflows ${r.listen_overflows}, drops ${r.listen_drops}`,
    `  first page open at ${f(r.back.min)} ms`,
    `  back (open):          ${show_spread(r.back, n)}`,
    `  back and caught up:   ${show_spread(r.caught_up, n)}`,
    `  every message in:     ${show_spread(r.complete, n)}`,
    `  opened/s: ${f(r.opened_per_s)} (peak 1 s ${
      f(r.opened_peak_1s)
    }); failed attempts ${r.failed_attempts}`,
    `  sent ${r.sent} from ${f(r.first_send_ms)} ms, acked ${r.acked} (last at ${
      f(r.last_ack_ms)
    } ms), refused ${r.refused}, unanswered ${r.unanswered}`,
    `  generator CPU ${f(r.generator_cpu_percent)}%, cores busy ${r.cores_busy_percent.join("/")}%`,
    ...r.neighbours.slice(0, 3).map((line) => `  neighbour: ${line}`),
  ];
}

async function main(): Promise<number> {
  const o = options();
  if (!o) {
    console.log(HELP);
    return 0;
  }
  const pinned = await rerun_pinned(new URL(import.meta.url).pathname, o.pin);
  if (pinned !== null) return pinned;
  check_fd_limit(2 * o.n + 300);
  const db_kind = o.db ? "pg" : "pglite";
  const label = `storm-${o.transport}-n${o.n}-${db_kind}`;
  const run_id = `st${Date.now().toString(36)}`;
  const max_messages = o.before + 2 * o.messages + 1;
  const app = new StormServer(storm_spec("app", `${label}-app`, o.db, LOG_DIR, o.pin));
  let pages: Page[] = [];
  try {
    log(`${label}: starting the app (${o.db ? "Postgres" : "embedded PGlite"})`);
    await app.start();
    const t0 = performance.now();
    const room = await setup_room(app.base, o.n, o.transport, run_id);
    log(
      `setup: ${o.n} guests visited /rooms/${room.slug} in ${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s`,
    );
    const opened = await open_pages(room.pages, "page", max_messages, true);
    pages = opened.pages;
    log(`${o.n} pages open and synced in ${opened.seconds.toFixed(1)} s (${opened.failed} failed)`);
    // A few messages first: every page has them before the storm.
    let next = 0;
    const sender = new StormSender(room.sender.url, room.sender.headers);
    await sender.open();
    const before = Array.from({ length: o.before }, () => next++);
    for (const k of before) sender.send(k);
    await sender.settle(30_000);
    sender.close();
    const before_acked = before.filter((k) => sender.acked.has(k));
    const all_have = await until(() => pages.every((p) => has_all(p, before_acked)), 30_000);
    log(`${before_acked.length} messages before the storm; every page has them: ${all_have}`);

    const storms: StormResult[] = [];
    let expected = before_acked;
    const unacked = before.filter((k) => !sender.acked.has(k));
    for (const shape of o.at_once ? ["page", "at-once"] as const : ["page"] as const) {
      const indices = Array.from({ length: o.messages }, () => next++);
      log(`storm (${shape}): SIGTERM, restart, ${o.messages} messages once the port accepts`);
      const s = await storm(app, pages, room.sender, shape, indices, expected, o);
      storms.push(s.result);
      expected = [...expected, ...s.acked];
      unacked.push(...s.unacked);
      for (const line of describe(s.result, o.n)) log(line);
      await sleep(1000);
    }
    // Late repeats would show up here.
    await sleep(2000);
    const delivery: Delivery = count_delivery(pages, expected, unacked);
    const server_log = await app.log_lines();
    const app_stderr = app.stderr_lines;
    const drops = pages.reduce((sum, p) => sum + p.drops, 0);
    const ended = pages.filter((p) => p.ended).length;
    const drop_reasons: Record<string, number> = {};
    for (const page of pages) {
      for (const [reason, count] of page.drop_reasons) {
        drop_reasons[reason] = (drop_reasons[reason] ?? 0) + count;
      }
    }
    for (const page of pages) page.close();
    pages = [];
    await app.stop();

    const bare = o.bare ? await bare_storm(o) : null;
    if (bare) {
      log(
        `bare, ${o.n} reconnects at once: ${Math.round(bare.opened_per_s)}/s; open ${
          show_spread(bare.back, o.n)
        }`,
      );
    }

    const first = storms[0];
    const at_once = storms.find((s) => s.shape === "at-once") ?? null;
    const checks = {
      all_back_and_caught_up_within_10s: first.pages_not_caught_up === 0 &&
        first.caught_up.max <= 10_000,
      zero_lost: delivery.lost_deliveries === 0,
      zero_duplicated: delivery.duplicated_deliveries === 0,
      opened_per_s_at_least_half_bare: bare && at_once
        ? at_once.opened_per_s >= 0.5 * bare.opened_per_s
        : null,
    };
    const passed = Object.values(checks).every((v) => v !== false);
    const summary = {
      label,
      date: new Date().toISOString(),
      n: o.n,
      transport: o.transport,
      db: db_kind,
      messages_per_storm: o.messages,
      before: o.before,
      pinned: o.pin,
      setup_open_seconds: opened.seconds,
      storms,
      delivery,
      page_drops: drops,
      drop_reasons,
      pages_ended: ended,
      app_stderr_lines: app_stderr,
      app_log_sample: [...new Set(server_log)].slice(0, 8),
      bare,
      ratio_at_once_vs_bare: bare && at_once ? at_once.opened_per_s / bare.opened_per_s : null,
      ratio_storm_vs_bare: bare ? first.opened_per_s / bare.opened_per_s : null,
      checks,
      passed,
    };
    const path = await write_json(label, summary);
    const f = (v: number) => Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "–";
    const r2 = (v: number | null) => v === null ? "–" : `${v.toFixed(2)}×`;
    const mark = (v: boolean | null) => v === null ? "n/a" : v ? "PASS" : "FAIL";
    console.log(
      [
        `== ${label} ==`,
        `back and caught up (page storm): ${show_spread(first.caught_up, o.n)}  ${
          mark(checks.all_back_and_caught_up_within_10s)
        } (≤ 10 s)`,
        at_once ? `back and caught up (all at once): ${show_spread(at_once.caught_up, o.n)}` : "",
        `opened/s: page storm ${f(first.opened_per_s)} (peak 1 s ${f(first.opened_peak_1s)})` +
        (at_once ? `, app at once ${f(at_once.opened_per_s)}` : "") +
        (bare ? `, bare at once ${f(bare.opened_per_s)}` : "") +
        `; app at once ÷ bare ${r2(summary.ratio_at_once_vs_bare)}, page storm ÷ bare ${
          r2(summary.ratio_storm_vs_bare)
        }  ${mark(checks.opened_per_s_at_least_half_bare)} (≥ 0.5×)`,
        `lost: ${delivery.lost_messages} messages, ${delivery.lost_deliveries} deliveries of ${delivery.expected_messages} × ${o.n}  ${
          mark(checks.zero_lost)
        }`,
        `duplicated: ${delivery.duplicated_deliveries} (on ${delivery.duplicated_pages} pages)  ${
          mark(checks.zero_duplicated)
        }`,
        `refused ${
          storms.reduce((s, r) => s + r.refused, 0)
        }, unanswered ${unacked.length}; page drops ${drops}, ended ${ended}; app stderr lines ${app_stderr}`,
        `  page drops by reason: ${JSON.stringify(drop_reasons)}`,
        ...delivery.lost_examples.map((e) => `  lost: ${e}`),
        ...summary.app_log_sample.map((line) => `  app log: ${line.slice(0, 160)}`),
        `${passed ? "PASS" : "FAIL"}; ${path}`,
      ].filter(Boolean).join("\n"),
    );
    return passed ? 0 : 1;
  } finally {
    for (const page of pages) page.close();
    await app.stop();
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (error) {
    console.error(`storm: ${error instanceof Error ? error.stack : error}`);
    Deno.exit(2);
  }
}
