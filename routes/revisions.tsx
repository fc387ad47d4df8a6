import { Hono } from "hono";
import { findMessage } from "../db/messages.ts";
import { listRevisionsWithEditors } from "../db/revisions.ts";
import { RevisionsPage } from "../views/revisions_page.tsx";
import { enterRoom, refusal, refused } from "./access.ts";
import type { AuthedEnv, Deps } from "./env.ts";
import { requireUser } from "./guards.ts";

/** `GET /rooms/:slug/messages/:id/revisions`: a message's earlier bodies, for admins only. */
export function revisionRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireUser());

  app.get("/:slug/messages/:id/revisions", async (c) => {
    const user = c.get("user");
    if (user.role !== "admin") return c.text("Only admins can see earlier versions", 403);
    const room = await enterRoom(deps.db, c.req.param("slug"), user);
    if (refused(room)) return refusal(c, room);
    const message = await findMessage(deps.db, c.req.param("id"));
    if (!message || message.room_id !== room.id) {
      return c.text(`There is no such message in #${room.slug}`, 404);
    }
    const revisions = await listRevisionsWithEditors(deps.db, message.id);
    return c.html(<RevisionsPage user={user} message={message} revisions={revisions} />);
  });

  return app;
}
