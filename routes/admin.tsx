import { type Context, Hono } from "hono";
import { listAudit } from "../db/audit.ts";
import { type Registration, REGISTRATIONS } from "../db/registration.ts";
import { readSettings, registrationOf, type RoomCreators, saveSettings } from "../db/settings.ts";
import { AdminOverview } from "../views/admin_overview.tsx";
import { adminBotRoutes } from "./admin_bots.tsx";
import { adminMessageRoutes } from "./admin_messages.tsx";
import { adminInvitationRoutes } from "./admin_invitations.tsx";
import { adminRoomRoutes } from "./admin_rooms.tsx";
import { adminUserRoutes } from "./admin_users.tsx";
import { field, requireAdmin } from "./admin_guard.ts";
import type { AuthedEnv, Deps } from "./env.ts";

const CREATORS: RoomCreators[] = ["everyone", "members", "admins"];

/** `/admin`: settings and the audit log here; rooms, people and messages in their sub-apps. */
export function adminRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireAdmin());

  const page = async (c: Context<AuthedEnv>, error?: string) => {
    const [settings, audit] = [await readSettings(deps.db), await listAudit(deps.db)];
    const registration = registrationOf(settings, deps.config.registration);
    const shown = { ...settings, registration };
    return <AdminOverview user={c.get("user")} settings={shown} audit={audit} error={error} />;
  };

  app.get("/", async (c) => c.html(await page(c)));

  app.post("/settings", async (c) => {
    const form = await c.req.parseBody();
    const roomCreators = field(form, "room_creators") as RoomCreators;
    if (!CREATORS.includes(roomCreators)) {
      const error = "Who may create rooms must be everyone, members or admins";
      return c.html(await page(c, error), 422);
    }
    // Left out (an older form), the registration mode stays as it is.
    const registration = (field(form, "registration") || null) as Registration | null;
    if (registration && !REGISTRATIONS.includes(registration)) {
      return c.html(await page(c, "Sign-up must be open, by invitation or closed"), 422);
    }
    const guestsEnabled = field(form, "guests_enabled") === "on";
    await saveSettings(deps.db, c.get("user"), { guestsEnabled, roomCreators, registration });
    return c.redirect("/admin", 303);
  });

  app.route("/rooms", adminRoomRoutes(deps));
  app.route("/users", adminUserRoutes(deps));
  app.route("/invitations", adminInvitationRoutes(deps));
  app.route("/messages", adminMessageRoutes(deps));
  app.route("/bots", adminBotRoutes(deps));
  return app;
}
