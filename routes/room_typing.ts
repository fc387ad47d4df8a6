import { Hono } from "hono";
import type { Deps } from "./env.ts";
import type { RoomEnv } from "./room.tsx";

/**
 * `POST /rooms/:slug/typing`: "I am typing" from a page on Server-Sent Events (a WebSocket page
 * sends a `{"typing": true}` frame instead). Same rate and the same read rule as the frame.
 */
export function typingRoutes(deps: Deps) {
  return new Hono<RoomEnv>().post("/", (c) => {
    deps.presence.typed(c.get("room"), c.get("user"));
    return c.body(null, 204);
  });
}
