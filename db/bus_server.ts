import postgres from "postgres";
import { type Bus, type BusHandlers } from "./bus.ts";
import { CHANNEL, parseEvent } from "./events.ts";

const RETRY_MS = [100, 250, 500, 1000, 2000];

/**
 * LISTEN on a session connection of its own, outside the pool. postgres.js's built-in
 * listen() gives up silently when a re-listen fails and backs off up to 20 s, so the
 * reconnect loop here is explicit, short, and reports each (re)listen for catch-up.
 */
export function serverBus(url: string, name = "chat-listener"): Bus {
  let handlers: BusHandlers | null = null;
  let client: postgres.Sql | null = null;
  let up = false;
  let stopped = false;
  let attempt = 0;

  function connect(): void {
    if (stopped) return;
    const sql = postgres(
      url,
      <postgres.Options<Record<string, never>>> {
        max: 1,
        idle_timeout: 0,
        max_lifetime: null,
        fetch_types: false,
        backoff: () => 0.1,
        connect_timeout: 5,
        connection: { application_name: name },
        onnotice: () => {},
        // Present in postgres.js but missing from its types.
        onnotify: (channel: string, payload: string) => {
          const event = channel === CHANNEL ? parseEvent(payload) : null;
          if (event) handlers?.onEvent(event);
        },
        onclose: () => {
          if (client !== sql) return;
          up = false;
          client = null;
          sql.end({ timeout: 0 }).catch(() => {});
          retry();
        },
      },
    );
    client = sql;
    sql`listen ${sql(CHANNEL)}`.then(() => {
      if (client !== sql) return;
      up = true;
      attempt = 0;
      handlers?.onListen();
    }, () => {
      if (client !== sql) return;
      client = null;
      sql.end({ timeout: 0 }).catch(() => {});
      retry();
    });
  }

  function retry(): void {
    const delay = RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)];
    if (!stopped) setTimeout(connect, delay);
  }

  return {
    start(h) {
      handlers = h;
      connect();
      return Promise.resolve();
    },
    async restart() {
      const old = client;
      client = null;
      up = false;
      await old?.end({ timeout: 0 }).catch(() => {});
      connect();
    },
    isUp: () => up,
    async stop() {
      stopped = true;
      up = false;
      const old = client;
      client = null;
      await old?.end({ timeout: 0 }).catch(() => {});
    },
  };
}
