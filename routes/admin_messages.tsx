import { type Context, Hono } from "hono";
import {
  deleteMessageAsAdmin,
  MAX_QUERY,
  type MessageQuery,
  searchMessages,
} from "../db/admin_messages.ts";
import { PERSON_NAME, textProblem } from "../db/text.ts";
import { AdminMessages } from "../views/admin_messages.tsx";
import { afterAction, field, requireAdmin } from "./admin_guard.ts";
import type { AuthedEnv, Deps } from "./env.ts";

/** `/admin/messages`: find by text and/or author, and delete (as an author's delete does). */
export function adminMessageRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireAdmin());

  const page = (c: Context<AuthedEnv>, query: MessageQuery) => async (error?: string) => (
    <AdminMessages
      user={c.get("user")}
      query={query}
      found={await searchMessages(deps.db, query)}
      error={error}
    />
  );

  app.get("/", async (c) => {
    const query = { text: c.req.query("q") ?? "", author: c.req.query("author") ?? "" };
    const problem = textProblem(query.text, { name: "Search", max: MAX_QUERY }) ??
      textProblem(query.author, { ...PERSON_NAME, name: "Author" });
    if (problem) return c.html(await page(c, { text: "", author: "" })(problem), 422);
    return c.html(await page(c, query)());
  });

  app.post("/:id/delete", async (c) => {
    const form = await c.req.parseBody();
    const query = { text: field(form, "q"), author: field(form, "author") };
    const back = new URLSearchParams({ q: query.text, author: query.author });
    const outcome = await deleteMessageAsAdmin(deps.db, c.get("user"), c.req.param("id"));
    return await afterAction(c, outcome, `/admin/messages?${back}`, page(c, query));
  });

  return app;
}
