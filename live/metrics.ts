// This instance's counters for /metrics (routes/metrics.ts), in Prometheus text format. One
// object, made in main.ts's wire() and handed to the hub (hub.observe) and to the app (deps),
// so nothing reaches for a global. Gauges are read from their owners when scraped.
import type { Bus } from "../db/bus.ts";
import type { PoolStats } from "../db/connect.ts";
import type { LiveLabel } from "./connections.ts";
import { Histogram } from "./histogram.ts";

/** Where a fan-out started: a NOTIFY received, or this instance's own commit returning. */
export type FanoutPath = "notify" | "local";

/** What the gauges read at scrape time. */
export interface MetricSources {
  instanceId: string;
  database: "embedded" | "server";
  connections(): Record<LiveLabel["transport"], number>;
  listenerUp(): boolean;
  /** The server pool's connections; absent for the embedded database (one in-process link). */
  pool?(): PoolStats;
}

/** Counters and histograms of one instance, and the gauges' sources. */
export class Metrics {
  #stored = 0;
  #delivered = 0;
  #notifications = 0;
  #listens = 0;
  #lag: Record<FanoutPath, Histogram> = { notify: new Histogram(), local: new Histogram() };
  #sources: MetricSources | null = null;

  /** Messages this instance committed (its send batcher's writes). */
  stored(count: number) {
    this.#stored += count;
  }

  /** Messages written to local subscribers (one per message per connection). */
  delivered(count: number) {
    this.#delivered += count;
  }

  /** Time from a room's wake-up to its frames written to every local subscriber. */
  fanout(path: FanoutPath, seconds: number) {
    this.#lag[path].observe(seconds);
  }

  /** Sets what the gauges read (main.ts, once the engine is up). */
  attach(sources: MetricSources) {
    this.#sources = sources;
  }

  /** The bus, counting NOTIFYs received and every LISTEN after the first (reconnects). */
  watchBus(bus: Bus): Bus {
    return {
      ...bus,
      start: (handlers) =>
        bus.start({
          onEvent: (event) => (this.#notifications++, handlers.onEvent(event)),
          onListen: () => (this.#listens++, handlers.onListen()),
        }),
    };
  }

  /** Everything, in Prometheus text exposition format (version 0.0.4). */
  render(): string {
    const lines: string[] = [];
    const add = (name: string, type: string, help: string, series: string[]) =>
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...series);
    const s = this.#sources;
    if (s) {
      add("hyperchat_info", "gauge", "This instance and its database.", [
        `hyperchat_info{instance="${label(s.instanceId)}",database="${s.database}"} 1`,
      ]);
      const open = s.connections();
      add("hyperchat_live_connections", "gauge", "Open live connections, by transport.", [
        `hyperchat_live_connections{transport="ws"} ${open.ws}`,
        `hyperchat_live_connections{transport="sse"} ${open.sse}`,
      ]);
      add("hyperchat_listener_up", "gauge", "1 while the LISTEN connection listens.", [
        `hyperchat_listener_up ${s.listenerUp() ? 1 : 0}`,
      ]);
      lines.push(...poolLines(s));
    }
    add("hyperchat_messages_stored_total", "counter", "Messages this instance committed.", [
      `hyperchat_messages_stored_total ${this.#stored}`,
    ]);
    add("hyperchat_messages_delivered_total", "counter", "Messages written to live connections.", [
      `hyperchat_messages_delivered_total ${this.#delivered}`,
    ]);
    add("hyperchat_notifications_total", "counter", "NOTIFYs received by the listener.", [
      `hyperchat_notifications_total ${this.#notifications}`,
    ]);
    add("hyperchat_listener_reconnects_total", "counter", "LISTENs after the first one.", [
      `hyperchat_listener_reconnects_total ${Math.max(0, this.#listens - 1)}`,
    ]);
    add("hyperchat_fanout_lag_seconds", "histogram", FANOUT_HELP, [
      ...this.#lag.notify.lines("hyperchat_fanout_lag_seconds", 'path="notify"'),
      ...this.#lag.local.lines("hyperchat_fanout_lag_seconds", 'path="local"'),
    ]);
    return lines.join("\n") + "\n";
  }
}

const FANOUT_HELP = "From a NOTIFY received (or a local commit returned) to its frames written.";

function poolLines(s: MetricSources): string[] {
  const pool = s.pool?.() ?? { total: 1, idle: null, waiting: null };
  const lines = [
    "# HELP hyperchat_db_pool_connections Database connections in the query pool, by state.",
    "# TYPE hyperchat_db_pool_connections gauge",
    `hyperchat_db_pool_connections{state="total"} ${pool.total}`,
  ];
  if (pool.idle !== null) lines.push(`hyperchat_db_pool_connections{state="idle"} ${pool.idle}`);
  if (pool.waiting === null) return lines;
  return lines.concat(
    "# HELP hyperchat_db_pool_waiting Queries waiting for a pool connection.",
    "# TYPE hyperchat_db_pool_waiting gauge",
    `hyperchat_db_pool_waiting ${pool.waiting}`,
  );
}

/** A label value escaped as the text format asks (backslash, quote, newline). */
function label(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
