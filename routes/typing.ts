import { Hono } from "hono";
import { enterRoom, refusal, refused } from "./access.ts";
import type { AuthedEnv, Deps } from "./env.ts";
import { requireUser } from "./guards.ts";

/**
 * `POST /rooms/:slug/typing`: "I am typing" from a page on Server-Sent Events (a WebSocket page
 * sends a `{"typing": true}` frame instead). Same rate and the same read rule as the frame.
 */
export function typingRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireUser());

  app.post("/:slug/typing", async (c) => {
    const room = await enterRoom(deps.db, c.req.param("slug"), c.get("user"));
    if (refused(room)) return refusal(c, room);
    deps.presence.typed(room, c.get("user"));
    return c.body(null, 204);
  });

  return app;
}
