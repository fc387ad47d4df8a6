import { Hono } from "hono";
import { markRoomRead } from "../db/inbox.ts";
import { enterRoom, refusal, refused, wholeNumber } from "./access.ts";
import type { AuthedEnv, Deps } from "./env.ts";
import { requireUser } from "./guards.ts";

/**
 * `POST /rooms/:slug/read` with `version`: the page script says "I have shown everything up
 * to this version while visible", so messages that land in an open room are not unread.
 */
export function readRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireUser());

  app.post("/:slug/read", async (c) => {
    const user = c.get("user");
    const room = await enterRoom(deps.db, c.req.param("slug"), user);
    if (refused(room)) return refusal(c, room);
    const form = await c.req.parseBody();
    const version = wholeNumber(typeof form.version === "string" ? form.version : null);
    await markRoomRead(deps.db, {
      roomId: room.id,
      userId: user.id,
      version: version ?? undefined,
    });
    return c.body(null, 204);
  });

  return app;
}
