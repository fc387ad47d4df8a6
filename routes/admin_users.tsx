import { type Context, Hono } from "hono";
import { changeRole, listUsers, setActive } from "../db/admin_users.ts";
import { createReset } from "../db/password_resets.ts";
import { findUserById } from "../db/users.ts";
import { AdminUsers } from "../views/admin_users.tsx";
import { afterAction, field, requireAdmin } from "./admin_guard.ts";
import type { AuthedEnv, Deps } from "./env.ts";
import { publicOrigin } from "./public_origin.ts";

/** `/admin/users`: promote, demote, deactivate and reactivate accounts; make reset links. */
export function adminUserRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireAdmin());

  const page = (c: Context<AuthedEnv>) =>
  async (
    error?: string,
    reset?: { username: string; url: string },
  ) => (
    <AdminUsers
      user={c.get("user")}
      people={await listUsers(deps.db)}
      error={error}
      reset={reset}
    />
  );

  app.get("/", async (c) => c.html(await page(c)()));

  app.post("/:id/role", async (c) => {
    const role = field(await c.req.parseBody(), "role");
    if (role !== "admin" && role !== "member") {
      return c.html(await page(c)("Role must be admin or member"), 422);
    }
    const input = { userId: c.req.param("id"), role } as const;
    const outcome = await changeRole(deps.db, c.get("user"), input);
    return await afterAction(c, outcome, "/admin/users", page(c));
  });

  for (const [verb, active] of [["deactivate", false], ["reactivate", true]] as const) {
    app.post(`/:id/${verb}`, async (c) => {
      const input = { userId: c.req.param("id"), active };
      const outcome = await setActive(deps.db, c.get("user"), input);
      return await afterAction(c, outcome, "/admin/users", page(c));
    });
  }

  // A one-time reset link, shown to the admin once (only its hash is kept) to hand over.
  app.post("/:id/reset-link", async (c) => {
    const person = await findUserById(deps.db, c.req.param("id"));
    if (!person) return c.html(await page(c)("There is no such person"), 404);
    const token = await createReset(deps.db, { user: person, actor: c.get("user") });
    if (!token) return c.html(await page(c)("Guests and bots have no password to reset"), 422);
    const url = `${publicOrigin(deps, c)}/reset/${token}`;
    return c.html(await page(c)(undefined, { username: person.username, url }), 201);
  });

  return app;
}
