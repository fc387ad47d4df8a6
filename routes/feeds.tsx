import { type Context, Hono } from "hono";
import { LiveSocket } from "../live/live_socket.tsx";
import { PageStream } from "../live/page_stream.tsx";
import type { Deps, Env } from "./env.ts";
import { endedStream } from "./room_events.tsx";
import { endedSocket, feedChoice, SIGNED_OUT, socketActions, socketOnly } from "./room_live.tsx";

/** What a page that shows no room follows: its person's feeds, no room log. */
function pageOnly(c: Context<Env>) {
  const feeds = feedChoice(c, null);
  return { session: c.get("session"), room: null, cursor: 0, greet: false, feeds };
}

/**
 * `GET /feeds/live` and `GET /feeds/events`: the one connection of a page that shows no room
 * (lobby, inbox, search...), WebSocket or SSE, carrying its person's feeds only. A room page's
 * connection is /rooms/:slug/live or /events (routes/room_live.tsx, routes/room_events.tsx).
 */
export function feedRoutes(deps: Deps) {
  const app = new Hono<Env>();
  const actions = socketActions(deps);

  app.get("/live", socketOnly, (c) => {
    const user = c.get("user");
    if (!user) return endedSocket(c, SIGNED_OUT, true);
    if (deps.hub.closing) return c.text("Server restarting", 503);
    const { socket, response } = Deno.upgradeWebSocket(c.req.raw, { idleTimeout: 25 });
    new LiveSocket(deps, actions, socket, { ...pageOnly(c), user });
    return response;
  });

  app.get("/events", (c) => {
    const user = c.get("user");
    if (!user) return endedStream(SIGNED_OUT, true);
    if (deps.hub.closing) return c.text("Server restarting", 503);
    return new PageStream(deps, { ...pageOnly(c), user }).response();
  });

  return app;
}
