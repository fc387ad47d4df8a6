// @ts-types="npm:@types/pg@^8.23.1"
import pg from "pg";
import { type Bus, type BusHandlers } from "./bus.ts";
import { connectionOptions } from "./connect.ts";
import { CHANNEL, parseEvent } from "./events.ts";

const RETRY_MS = [100, 250, 500, 1000, 2000];

/**
 * LISTEN on a session connection of its own, outside the pool. When it breaks (Postgres
 * restarting, a network cut) a fresh one replaces it after a short backoff, and each
 * (re)listen is reported so callers catch up from the tables: NOTIFYs sent meanwhile are lost.
 */
export function serverBus(url: string, name = "chat-listener"): Bus {
  let handlers: BusHandlers | null = null;
  let client: pg.Client | null = null;
  let up = false;
  let stopped = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function drop(old: pg.Client) {
    if (client !== old) return;
    client = null;
    up = false;
    old.end().catch(() => {});
    retry();
  }

  function connect(): void {
    if (stopped) return;
    const listener = new pg.Client(connectionOptions(url, name));
    client = listener;
    listener.on("notification", (message) => {
      const event = message.channel === CHANNEL ? parseEvent(message.payload ?? "") : null;
      if (event) handlers?.onEvent(event);
    });
    listener.on("error", () => drop(listener));
    listener.on("end", () => drop(listener));
    listener.connect().then(() => listener.query(`listen "${CHANNEL}"`)).then(() => {
      if (client !== listener) return;
      up = true;
      attempt = 0;
      handlers?.onListen();
    }, () => drop(listener));
  }

  function retry(): void {
    const delay = RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)];
    if (!stopped) timer = setTimeout(connect, delay);
  }

  async function close() {
    clearTimeout(timer);
    const old = client;
    client = null;
    up = false;
    await old?.end().catch(() => {});
  }

  return {
    start(h) {
      handlers = h;
      connect();
      return Promise.resolve();
    },
    async restart() {
      await close();
      connect();
    },
    isUp: () => up,
    async stop() {
      stopped = true;
      await close();
    },
  };
}
