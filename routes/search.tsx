import { Hono } from "hono";
import { MAX_QUERY, searchMessages } from "../db/search.ts";
import { clip, textProblem } from "../db/text.ts";
import { SearchPage } from "../views/search_page.tsx";
import type { AuthedEnv, Deps } from "./env.ts";
import { requireUser } from "./guards.ts";

/** `GET /search?q=`: messages the person may read; an empty query shows the form. */
export function searchRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use("/search", requireUser());

  app.get("/search", async (c) => {
    const user = c.get("user");
    const q = (c.req.query("q") ?? "").trim();
    if (!q) return c.html(<SearchPage user={user} q="" hits={null} />);
    const error = textProblem(q, { name: "Search", max: MAX_QUERY });
    if (error) {
      return c.html(
        <SearchPage user={user} q={clip(q, MAX_QUERY)} hits={null} error={error} />,
        422,
      );
    }
    const hits = await searchMessages(deps.db, { userId: user.id, query: q });
    return c.html(<SearchPage user={user} q={q} hits={hits} />);
  });

  return app;
}
