import { Hono } from "hono";
import { deleteMessageAsAdmin, searchMessages } from "../db/admin_messages.ts";
import { AdminMessages } from "../views/admin_messages.tsx";
import { afterAction, field, requireAdmin } from "./admin_guard.ts";
import type { AuthedEnv, Deps } from "./env.ts";

/** `/admin/messages`: find by text and/or author, and delete (as an author's delete does). */
export function adminMessageRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireAdmin());

  app.get("/", async (c) => {
    const query = { text: c.req.query("q") ?? "", author: c.req.query("author") ?? "" };
    const found = await searchMessages(deps.db, query);
    return c.html(<AdminMessages user={c.get("user")} query={query} found={found} />);
  });

  app.post("/:id/delete", async (c) => {
    const form = await c.req.parseBody();
    const back = new URLSearchParams({ q: field(form, "q"), author: field(form, "author") });
    const outcome = await deleteMessageAsAdmin(deps.db, c.get("user"), c.req.param("id"));
    return afterAction(c, outcome, `/admin/messages?${back}`);
  });

  return app;
}
