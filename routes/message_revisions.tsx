import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { listRevisionsWithEditors } from "../db/revisions.ts";
import type { User } from "../db/schema.ts";
import { RevisionsPage } from "../views/revisions_page.tsx";
import type { AuthedEnv, Deps } from "./env.ts";
import type { MessageEnv } from "./room_message.tsx";

/**
 * Earlier versions are for admins only, in any room: decided before the room is looked up
 * (routes/room.tsx), so nobody else learns whether the room or the message exists.
 */
export const adminsOnly = createMiddleware<AuthedEnv>(async (c, next) => {
  // Signed out: the room app's login check answers, as for every other path.
  const user = c.get("user") as User | null;
  if (user && user.role !== "admin") return c.text("Only admins can see earlier versions", 403);
  await next();
});

/** `GET /rooms/:slug/messages/:id/revisions`: a message's earlier bodies, for admins. */
export function revisionRoutes(deps: Deps) {
  return new Hono<MessageEnv>().get("/", async (c) => {
    const { user, message } = c.var;
    const revisions = await listRevisionsWithEditors(deps.db, message.id);
    return c.html(<RevisionsPage user={user} message={message} revisions={revisions} />);
  });
}
