import { type Context, Hono } from "hono";
import {
  createInvitation,
  INVITATION_LIMITS,
  type InvitationInput,
  listInvitations,
  revokeInvitation,
} from "../db/invitations.ts";
import { AdminInvitations } from "../views/admin_invitations.tsx";
import { afterAction, field, requireAdmin } from "./admin_guard.ts";
import type { AuthedEnv, Deps } from "./env.ts";
import { publicOrigin } from "./public_origin.ts";

/** The create form's fields as an input, or the reason they cannot be one. */
function readInput(form: Record<string, unknown>): InvitationInput | string {
  const days = Number(field(form, "days") || "7");
  if (!Number.isInteger(days) || days < 1 || days > INVITATION_LIMITS.maxDays) {
    return `Expiry must be a whole number of days from 1 to ${INVITATION_LIMITS.maxDays}`;
  }
  const uses = field(form, "max_uses");
  const maxUses = uses === "" ? null : Number(uses);
  if (maxUses !== null && (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > 1000)) {
    return `Uses must be blank or a whole number from 1 to ${INVITATION_LIMITS.maxUses}`;
  }
  return { days, maxUses, guestsOnly: field(form, "guests_only") === "on" };
}

/** `/admin/invitations`: create invitation links (shown once), list them, revoke them. */
export function adminInvitationRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireAdmin());

  const page = (c: Context<AuthedEnv>) => async (error?: string, created?: string) => (
    <AdminInvitations
      user={c.get("user")}
      invitations={await listInvitations(deps.db)}
      created={created}
      error={error}
    />
  );

  app.get("/", async (c) => c.html(await page(c)()));

  app.post("/", async (c) => {
    const input = readInput(await c.req.parseBody());
    if (typeof input === "string") return c.html(await page(c)(input), 422);
    const token = await createInvitation(deps.db, c.get("user"), input);
    return c.html(await page(c)(undefined, `${publicOrigin(deps, c)}/join/${token}`), 201);
  });

  app.post("/:id/revoke", async (c) => {
    const outcome = await revokeInvitation(deps.db, c.get("user"), c.req.param("id"));
    return await afterAction(c, outcome, "/admin/invitations", page(c));
  });

  return app;
}
