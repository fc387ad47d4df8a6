import { Hono } from "hono";
import { onlineCounts } from "../db/presence.ts";
import { listRooms } from "../db/rooms.ts";
import { OnlineCount } from "../views/online_list.tsx";
import { UnreadBadge } from "../views/room_list.tsx";
import type { AuthedEnv, Deps } from "./env.ts";
import { eventStream } from "../live/person_stream.ts";
import { sse } from "../live/event_stream.ts";
import { requireUser } from "./guards.ts";
import { unreadCounts } from "../live/unread_hub.tsx";

/**
 * `GET /presence/events`, for clients other than the page (whose one connection carries the
 * same, live/person_feeds.tsx): live online counts and unread counts for the room index and the
 * sidebar, for the rooms this person may see (fixed when the stream opens; a reconnect picks
 * up new rooms). `in` names the room open on the page (its messages are not unread). The
 * stream starts with every count, so a reconnect misses nothing.
 */
export function presenceEventRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireUser());

  app.get("/events", async (c) => {
    // A stream opened after shutdown closed the others would keep the server from stopping.
    if (deps.presence.stopping) return c.text("Server restarting: try again shortly", 503);
    const userId = c.get("user").id;
    const rooms = await listRooms(deps.db, userId);
    const ids = rooms.map((r) => r.id);
    const viewing = ids.find((id) => id === c.req.query("in")) ?? null;
    const online = await onlineCounts(deps.db, ids);
    const counts = unreadCounts(rooms);
    const first = ids.map((id) =>
      String(<OnlineCount roomId={id} count={online.get(id) ?? 0} oob />) +
      (id === viewing ? "" : String(
        <UnreadBadge roomId={id} count={counts.get(id)?.unread ?? 0} oob />,
      ))
    ).join("");
    return eventStream(deps.hub, { userId, session: c.get("session") }, (stream) => {
      const push = (html: string) => stream.write(sse({ event: "presence", data: html }));
      if (first) push(first);
      const unwatch = deps.presence.watch({ rooms: new Set(ids), push });
      const unsubscribe = deps.unread.watch({ userId, viewing, counts, push });
      return () => (unwatch(), unsubscribe());
    });
  });

  return app;
}
