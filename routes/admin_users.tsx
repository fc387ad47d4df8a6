import { Hono } from "hono";
import { changeRole, listUsers, setActive } from "../db/admin_users.ts";
import { AdminUsers } from "../views/admin_users.tsx";
import { afterAction, field, requireAdmin } from "./admin_guard.ts";
import type { AuthedEnv, Deps } from "./env.ts";

/** `/admin/users`: promote, demote, deactivate and reactivate accounts. */
export function adminUserRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireAdmin());

  app.get("/", async (c) => {
    return c.html(<AdminUsers user={c.get("user")} people={await listUsers(deps.db)} />);
  });

  app.post("/:id/role", async (c) => {
    const role = field(await c.req.parseBody(), "role");
    if (role !== "admin" && role !== "member") return c.text("Role must be admin or member", 422);
    const input = { userId: c.req.param("id"), role } as const;
    return afterAction(c, await changeRole(deps.db, c.get("user"), input), "/admin/users");
  });

  for (const [verb, active] of [["deactivate", false], ["reactivate", true]] as const) {
    app.post(`/:id/${verb}`, async (c) => {
      const input = { userId: c.req.param("id"), active };
      return afterAction(c, await setActive(deps.db, c.get("user"), input), "/admin/users");
    });
  }

  return app;
}
