import { sql } from "kysely";
import type { Store } from "./connect.ts";
import { type ChatEvent, notifyEvent } from "./events.ts";
import { log } from "../log.ts";

const EVERY_MS = 5_000;
const DEAD_AFTER_MS = 15_000;

/**
 * A listener can die silently (a half-open TCP connection). Each instance NOTIFYs itself
 * every few seconds; when its own beats stop arriving, the LISTEN connection is replaced,
 * and the reconnect's catch-up fills whatever was missed.
 */
export function startHeartbeat(store: Store, instanceId: string) {
  let last = Date.now();
  const timer = setInterval(async () => {
    if (store.kind === "embedded") return;
    await sql`select ${notifyEvent({ k: "hb", i: instanceId })}`.execute(store.db).catch(() => {});
    if (Date.now() - last > DEAD_AFTER_MS && store.bus.isUp()) {
      log.warn("Listener heartbeat stopped; reconnecting LISTEN");
      last = Date.now();
      await store.bus.restart();
    }
  }, EVERY_MS);
  return {
    beat(event: ChatEvent) {
      if (event.k === "hb" && event.i === instanceId) last = Date.now();
    },
    stop: () => clearInterval(timer),
  };
}
