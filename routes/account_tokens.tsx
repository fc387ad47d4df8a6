import { Hono } from "hono";
import { createApiToken, revokeApiToken, tokenNameProblem } from "../db/api_tokens.ts";
import { TokenMadePage } from "../views/api_tokens.tsx";
import { field } from "./admin_guard.ts";
import type { AuthedEnv, Deps } from "./env.ts";

/**
 * `/account/tokens` (mounted by routes/account.tsx, under its login check): `POST` with a
 * `name` makes a personal API token and shows it once; `POST /:id/revoke` ends one of the
 * person's own. Guests make none: their account ends with their session.
 */
export function accountTokenRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();

  app.post("/", async (c) => {
    const user = c.get("user");
    c.header("cache-control", "no-store");
    if (user.role === "guest" || user.bot) {
      return c.html(<TokenMadePage user={user} error="Guests cannot make API tokens" />, 403);
    }
    const name = field(await c.req.parseBody(), "name");
    const problem = tokenNameProblem(name);
    if (problem) return c.html(<TokenMadePage user={user} error={problem} />, 422);
    const token = await createApiToken(deps.db, { userId: user.id, name });
    return c.html(<TokenMadePage user={user} token={token} />, 201);
  });

  app.post("/:id/revoke", async (c) => {
    const input = { userId: c.get("user").id, tokenId: c.req.param("id") };
    if (!await revokeApiToken(deps.db, input)) return c.text("No such working token of yours", 404);
    return c.redirect("/account#api-tokens", 303);
  });

  return app;
}
