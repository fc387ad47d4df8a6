import { Hono } from "hono";
import { listMessages } from "../db/messages.ts";
import { RoomLog } from "../views/room_log.tsx";
import type { Deps } from "./env.ts";
import { SAME_ORIGIN_FRAME } from "./headers.ts";
import type { RoomEnv } from "./room.tsx";

const PAGE = 50;

/** `GET /rooms/:slug/log`: the latest messages for the room page's frame with JavaScript off. */
export function roomLogRoutes(deps: Deps) {
  return new Hono<RoomEnv>().get("/", async (c) => {
    const room = c.get("room");
    const page = await listMessages(deps.db, room.id, {
      before: room.version + 1,
      limit: PAGE + 1,
    });
    const hasMore = page.length > PAGE;
    c.header(SAME_ORIGIN_FRAME, "SAMEORIGIN");
    return c.html(
      <RoomLog room={room} messages={hasMore ? page.slice(1) : page} hasMore={hasMore} />,
    );
  });
}
