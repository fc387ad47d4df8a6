import { Hono } from "hono";
import { markRoomRead } from "../db/inbox.ts";
import { wholeNumber } from "./access.ts";
import type { Deps } from "./env.ts";
import type { RoomEnv } from "./room.tsx";

/**
 * `POST /rooms/:slug/read` with `version`: the page script says "I have shown everything up
 * to this version while visible", so messages that land in an open room are not unread.
 */
export function readRoutes(deps: Deps) {
  return new Hono<RoomEnv>().post("/", async (c) => {
    const form = await c.req.parseBody();
    const version = wholeNumber(typeof form.version === "string" ? form.version : null);
    await markRoomRead(deps.db, {
      roomId: c.get("room").id,
      userId: c.get("user").id,
      version: version ?? undefined,
    });
    return c.body(null, 204);
  });
}
