import { Hono } from "hono";
import { listMessages } from "../db/messages.ts";
import { RoomLog } from "../views/room_log.tsx";
import { enterRoom, refusal, refused } from "./access.ts";
import type { AuthedEnv, Deps } from "./env.ts";
import { requireUser } from "./guards.ts";
import { SAME_ORIGIN_FRAME } from "./headers.ts";

const PAGE = 50;

/** `GET /rooms/:slug/log`: the latest messages for the room page's frame with JavaScript off. */
export function roomLogRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireUser());

  app.get("/:slug/log", async (c) => {
    const room = await enterRoom(deps.db, c.req.param("slug"), c.get("user"));
    if (refused(room)) return refusal(c, room);
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

  return app;
}
