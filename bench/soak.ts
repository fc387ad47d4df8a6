// A soak: N room pages (feeds=1) stay live while one sender sends R messages/s for T minutes;
// the app runs on a private Postgres cluster (tests/pg_cluster.ts), which is restarted
// ("fast") halfway. Every acknowledged message must reach every page exactly once; messages
// refused during the outage are counted; the server must stay up. Server RSS at the start,
// every minute and at the end.
//
//   ulimit -n 16384
//   flock /tmp/bench.lock deno run -A bench/soak.ts [--minutes=10] [--n=500] [--rate=10]
//
// Writes bench/out/soak-<transport>-n<N>-<minutes>m.json; exit 0 when every check passed, 1
// when one failed, 2 on an error.
import { startCluster } from "../tests/pg_cluster.ts";
import { read_memory } from "./proc.ts";
import {
  check_fd_limit,
  count_delivery,
  has_all,
  LOG_DIR,
  number_flag,
  open_pages,
  parse_flags,
  rerun_pinned,
  setup_room,
  until,
  write_json,
} from "./storm_common.ts";
import type { Page } from "./storm_page.ts";
import { StormSender } from "./storm_sender.ts";
import { storm_spec, StormServer } from "./storm_server.ts";
import { sleep } from "./timing.ts";

const HELP = `deno run -A bench/soak.ts [options]   (run under: flock /tmp/bench.lock …)
  --n=500            pages
  --minutes=10       sending time
  --rate=10          messages per second
  --restart-at=M     minute of the Postgres restart ("fast"); default half of --minutes
  --transport=ws     ws | sse | mix
  --no-pin           do not pin (server core 0, generator core 1)`;

const log = (line: string) =>
  console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`);

interface RssPoint {
  minute: number;
  rss_mb: number;
}

async function healthz(base: string): Promise<number> {
  try {
    const response = await fetch(`${base}/healthz`);
    await response.body?.cancel();
    return response.status;
  } catch {
    return 0;
  }
}

async function main(): Promise<number> {
  const flags = parse_flags(Deno.args);
  if (flags.has("help")) {
    console.log(HELP);
    return 0;
  }
  const n = number_flag(flags, "n", 500, 1, 5000);
  const minutes = number_flag(flags, "minutes", 10, 0.5, 60);
  const rate = number_flag(flags, "rate", 10, 0.1, 1000);
  const restart_at = number_flag(flags, "restart-at", minutes / 2, 0, minutes);
  const transport = flags.get("transport") ?? "ws";
  if (transport !== "ws" && transport !== "sse" && transport !== "mix") {
    throw new Error("--transport must be ws, sse or mix");
  }
  const pin = flags.get("pin") !== "false";
  const pinned = await rerun_pinned(new URL(import.meta.url).pathname, pin);
  if (pinned !== null) return pinned;
  check_fd_limit(2 * n + 300);

  const label = `soak-${transport}-n${n}-${minutes}m`;
  const total = Math.round(minutes * 60 * rate);
  log(`${label}: starting a private Postgres cluster`);
  const cluster = await startCluster({ name: "soak" });
  const app = new StormServer(storm_spec("app", `${label}-app`, cluster.url, LOG_DIR, pin));
  let pages: Page[] = [];
  let sender: StormSender | null = null;
  try {
    await app.start();
    const rss_booted = read_memory(app.pid).rss_kb / 1024;
    const room = await setup_room(app.base, n, transport, `sk${Date.now().toString(36)}`);
    const opened = await open_pages(room.pages, "page", total + 1, false);
    pages = opened.pages;
    log(`${n} pages open and synced in ${opened.seconds.toFixed(1)} s (${opened.failed} failed)`);
    sender = new StormSender(room.sender.url, room.sender.headers);
    await sender.open();

    const rss: RssPoint[] = [];
    const sample = (minute: number) =>
      rss.push({ minute, rss_mb: Math.round(read_memory(app.pid).rss_kb / 1024 * 10) / 10 });
    const start = performance.now();
    sample(0);
    log(`RSS ${rss[0].rss_mb} MB at the start (${rss_booted.toFixed(1)} MB before setup)`);
    let exited_at_s: number | null = null;
    const watch = setInterval(() => {
      if (app.exited && exited_at_s === null) {
        exited_at_s = (performance.now() - start) / 1000;
        log(`the app EXITED at ${exited_at_s.toFixed(0)} s`);
      }
    }, 1000);
    let minute = 0;
    const minutely = setInterval(() => {
      sample(++minute);
      const drops = pages.reduce((sum, p) => sum + p.drops, 0);
      log(
        `minute ${minute}: RSS ${rss[rss.length - 1].rss_mb} MB; acked ${
          sender!.acked.size
        }, refused ${sender!.refused.size}, unanswered ${sender!.unanswered}; page drops ${drops}`,
      );
    }, 60_000);
    const outage: { begin_s: number; end_s: number; error: string | null } = {
      begin_s: NaN,
      end_s: NaN,
      error: null,
    };
    const restarting = sleep(restart_at * 60_000).then(async () => {
      outage.begin_s = (performance.now() - start) / 1000;
      log(`restarting Postgres ("fast")`);
      try {
        await cluster.restart("fast");
      } catch (error) {
        outage.error = (error as Error).message.slice(0, 300);
      }
      outage.end_s = (performance.now() - start) / 1000;
      log(`Postgres back after ${(outage.end_s - outage.begin_s).toFixed(1)} s`);
    });

    for (let k = 0; k < total && exited_at_s === null; k++) {
      await sleep(start + k * 1000 / rate - performance.now());
      sender.send(k);
    }
    await restarting;
    const sent = sender.sent_at.size;
    const all_answered = await sender.settle(30_000);
    const acked = [...sender.acked.keys()].sort((a, b) => a - b);
    const unacked = [...sender.sent_at.keys()].filter((k) => !sender!.acked.has(k));
    const delivered = await until(() => pages.every((p) => has_all(p, acked)), 30_000, 100);
    clearInterval(minutely);
    clearInterval(watch);
    await sleep(2000);
    const end_rss = read_memory(app.pid);
    rss.push({ minute: (performance.now() - start) / 60_000, rss_mb: end_rss.rss_kb / 1024 });
    const health = await healthz(app.base);
    const delivery = count_delivery(pages, acked, unacked);
    const refused_times = [...sender.refused.keys()].map((k) =>
      (sender!.sent_at.get(k)! - start) / 1000
    );
    const reasons = [...new Set(sender.refused.values())];
    const server_log = await app.log_lines();
    const drops = pages.reduce((sum, p) => sum + p.drops, 0);
    const up = !app.exited && exited_at_s === null;
    const checks = {
      server_stayed_up: up && health === 200,
      zero_lost: delivery.lost_deliveries === 0,
      zero_duplicated: delivery.duplicated_deliveries === 0,
      every_send_answered: all_answered,
    };
    const passed = Object.values(checks).every(Boolean);
    const summary = {
      label,
      date: new Date().toISOString(),
      n,
      transport,
      minutes,
      rate,
      restart_at_minute: restart_at,
      pinned: pin,
      rss_mb_before_setup: rss_booted,
      rss_mb: rss,
      rss_mb_peak: end_rss.hwm_kb / 1024,
      sent,
      acked: acked.length,
      refused: sender.refused.size,
      refused_window_s: refused_times.length
        ? [Math.min(...refused_times), Math.max(...refused_times)]
        : null,
      refused_reasons: reasons,
      unanswered: sender.unanswered,
      resent_after_reconnect: sender.resent,
      sender_drops: sender.drops,
      outage,
      delivery,
      all_delivered_in_time: delivered,
      page_drops: drops,
      page_reconnects: pages.reduce((sum, p) => sum + p.opens, 0) - pages.length,
      healthz_at_end: health,
      app_stderr_lines: app.stderr_lines,
      app_log_sample: [...new Set(server_log)].slice(0, 10),
      checks,
      passed,
    };
    const path = await write_json(label, summary);
    const mark = (v: boolean) => v ? "PASS" : "FAIL";
    console.log(
      [
        `== ${label} ==`,
        `RSS MB: ${rss.map((p) => p.rss_mb.toFixed(0)).join(", ")} (start … every minute … end; ` +
        `peak ${summary.rss_mb_peak.toFixed(0)}, ${rss_booted.toFixed(0)} before setup)`,
        `Postgres restart at ${outage.begin_s.toFixed(0)} s, back at ${outage.end_s.toFixed(0)} s` +
        (outage.error ? ` (error: ${outage.error})` : ""),
        `sent ${sent}, acked ${acked.length}, refused ${sender.refused.size}` +
        (summary.refused_window_s
          ? ` (sent ${summary.refused_window_s[0].toFixed(1)}–${
            summary.refused_window_s[1].toFixed(1)
          } s)`
          : "") +
        `, unanswered ${sender.unanswered}; ${delivery.unacked_delivered} unacked reached pages`,
        `lost: ${delivery.lost_messages} messages, ${delivery.lost_deliveries} deliveries of ${acked.length} × ${n}  ${
          mark(checks.zero_lost)
        }`,
        `duplicated: ${delivery.duplicated_deliveries} (on ${delivery.duplicated_pages} pages)  ${
          mark(checks.zero_duplicated)
        }`,
        `server up: ${up}, /healthz ${health}  ${
          mark(checks.server_stayed_up)
        }; page drops ${drops}; app stderr lines ${app.stderr_lines}`,
        ...reasons.slice(0, 3).map((r) => `  refused: ${r}`),
        ...delivery.lost_examples.map((e) => `  lost: ${e}`),
        ...summary.app_log_sample.map((line) => `  app log: ${line.slice(0, 160)}`),
        `${passed ? "PASS" : "FAIL"}; ${path}`,
      ].join("\n"),
    );
    return passed ? 0 : 1;
  } finally {
    sender?.close();
    for (const page of pages) page.close();
    await app.stop();
    await cluster.dispose();
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (error) {
    console.error(`soak: ${error instanceof Error ? error.stack : error}`);
    Deno.exit(2);
  }
}
