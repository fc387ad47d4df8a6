import { Hono } from "hono";
import { onlineCounts } from "../db/presence.ts";
import { listRooms } from "../db/rooms.ts";
import { OnlineCount } from "../views/online_list.tsx";
import type { AuthedEnv, Deps } from "./env.ts";
import { eventStream } from "./events.ts";
import { requireUser } from "./guards.ts";
import { sseData } from "./frames.ts";

const encoder = new TextEncoder();

/** One SSE event named `presence` (the index's sse-swap) carrying out-of-band fragments. */
function presenceEvent(html: string): Uint8Array {
  return encoder.encode(`event: presence\n${sseData(html)}\n\n`);
}

/**
 * `GET /presence/events`: live online counts for the room index and the sidebar, for the
 * rooms this person may see (fixed when the stream opens; a reconnect picks up new rooms).
 * The stream starts with every count, so a reconnect misses nothing.
 */
export function presenceEventRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireUser());

  app.get("/events", async (c) => {
    // A stream opened after shutdown closed the others would keep the server from stopping.
    if (deps.presence.stopping) return c.text("Server restarting: try again shortly", 503);
    const rooms = await listRooms(deps.db, c.get("user").id);
    const ids = rooms.map((r) => r.id);
    const counts = await onlineCounts(deps.db, ids);
    const first = ids.map((id) =>
      String(<OnlineCount roomId={id} count={counts.get(id) ?? 0} oob />)
    )
      .join("");
    return eventStream(deps.hub, c.get("user").id, (stream) => {
      if (first) stream.write(presenceEvent(first));
      return deps.presence.watch({
        rooms: new Set(ids),
        push: (html) => stream.write(presenceEvent(html)),
      });
    });
  });

  return app;
}
