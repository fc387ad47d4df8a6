// Opening the run's connections: senders (WebSocket) and subscribers (WebSocket or SSE, and
// in a page mode the page's other streams).
import { type Connection, open_sse, open_ws, Sender } from "./clients.ts";
import { scan_markers } from "./markers.ts";
import type { Scenario } from "./scenario.ts";
import type { Endpoint } from "./setup.ts";
import { map_limited } from "./timing.ts";
import type { ErrorLog, Tracker } from "./tracker.ts";

const CONNECT_TIMEOUT_MS = 15_000;

function transport_of(s: Scenario, index: number): "ws" | "sse" {
  if (s.transport === "mix") return index % 2 ? "sse" : "ws";
  return s.transport;
}

/**
 * Opens a page's other streams (SSE) next to its room connection, all at once as a browser
 * does; resolves when every one is open. If one fails, the others are closed and it throws.
 */
async function open_page(
  room: Promise<Connection>,
  endpoint: Endpoint,
  sub: number,
  errors: ErrorLog,
): Promise<Connection> {
  const feeds = endpoint.feeds.map((url) => {
    const name = new URL(url).pathname;
    return open_sse(url, endpoint.headers, {
      on_text: () => {},
      on_drop: (reason: string) => errors.add(`subscriber ${sub} ${name}: ${reason}`),
    }, CONNECT_TIMEOUT_MS);
  });
  const settled = await Promise.allSettled([room, ...feeds]);
  const open = settled.flatMap((r) => r.status === "fulfilled" ? [r.value] : []);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    for (const connection of open) connection.close();
    throw failed.reason;
  }
  return { close: () => open.forEach((connection) => connection.close()) };
}

/**
 * Opens every subscriber, `concurrency` at a time; failures are logged and left out. A
 * subscriber is one room connection, or in a page mode everything its endpoint lists (the
 * room connection, which is measured, and the page's other streams).
 */
export function open_subscribers(
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
        tracker.received_chars += text.length;
        scan_markers(text, (index, sent_us) => tracker.record(sub, index, sent_us, now));
      },
      on_drop: (reason: string) => errors.add(`subscriber ${sub}: ${reason}`),
    };
    try {
      const room = transport_of(s, sub) === "ws"
        ? open_ws(endpoint.ws_url, endpoint.headers, handlers, CONNECT_TIMEOUT_MS)
        : open_sse(endpoint.sse_url, endpoint.headers, handlers, CONNECT_TIMEOUT_MS);
      const connection = endpoint.feeds.length
        ? await open_page(room, endpoint, sub, errors)
        : await room;
      opened.count++;
      return connection;
    } catch (error) {
      errors.add(`subscriber ${sub}: ${(error as Error).message}`);
      return null;
    }
  });
}

/** Opens every sender's WebSocket. */
export async function open_senders(
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
