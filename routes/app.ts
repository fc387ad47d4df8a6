import { Hono } from "hono";
import { isUnavailable, UNAVAILABLE_REASON } from "../db/unavailable.ts";
import { accountRoutes } from "./account.tsx";
import { adminRoutes } from "./admin.tsx";
import { invitationRoutes } from "./invitations.tsx";
import { resetRoutes } from "./reset.tsx";
import { authRoutes } from "./auth.tsx";
import { checkAuthInput } from "./auth_input.tsx";
import type { Deps, Env } from "./env.ts";
import { eventRoutes } from "./events.tsx";
import { controlsCssRoutes } from "./controls_css.ts";
import { checkOrigin, loadSession, resolveClientAddress } from "./guards.ts";
import { dmRoutes } from "./dm.tsx";
import { securityHeaders } from "./headers.ts";
import { healthRoutes } from "./health.ts";
import { inboxRoutes } from "./inbox.tsx";
import { limitBodies } from "./limits.tsx";
import { liveRoutes } from "./live.tsx";
import { lobbyRoutes } from "./lobby.tsx";
import { messageActionRoutes } from "./message_actions.tsx";
import { messageRoutes } from "./messages.tsx";
import { metricsRoutes } from "./metrics.ts";
import { presenceEventRoutes } from "./presence_events.tsx";
import { readRoutes } from "./read.ts";
import { requestLog } from "./request_log.ts";
import { reactionRoutes } from "./reactions.tsx";
import { revisionRoutes } from "./revisions.tsx";
import { searchRoutes } from "./search.tsx";
import { typingRoutes } from "./typing.ts";
import { roomLogRoutes } from "./room_log.tsx";
import { roomMemberRoutes } from "./room_members.tsx";
import { roomRoutes } from "./rooms.tsx";
import { staticRoutes } from "./static.ts";
import { log } from "../log.ts";

/**
 * Builds the whole HTTP app: one sub-app per resource, mounted here. It only routes: the
 * live engine (live/engine.ts) already listens on the bus.
 */
export async function createApp(deps: Deps) {
  const app = new Hono<Env>();
  // Before all else, so it sees every answer as it leaves (and names its trace span).
  app.use(requestLog());
  // First, so every answer carries the headers and no body is read past the limit.
  app.use(securityHeaders());
  app.use(limitBodies());
  app.route("/", await staticRoutes());
  app.route("/", controlsCssRoutes());
  app.route("/", healthRoutes(deps));
  app.route("/", metricsRoutes(deps));
  app.use(checkOrigin(deps.config));
  app.use(resolveClientAddress(deps.config), loadSession(deps.db, deps.config));
  app.on("POST", ["/signup", "/login", "/guest"], checkAuthInput(deps));
  app.route("/", authRoutes(deps));
  app.route("/join", invitationRoutes(deps));
  app.route("/", resetRoutes(deps));
  app.route("/", lobbyRoutes(deps));
  app.route("/", liveRoutes(deps));
  app.route("/", eventRoutes(deps));
  app.route("/rooms", typingRoutes(deps));
  app.route("/rooms", messageActionRoutes(deps));
  app.route("/rooms", reactionRoutes(deps));
  app.route("/rooms", revisionRoutes(deps));
  app.route("/", searchRoutes(deps));
  app.route("/rooms", messageRoutes(deps));
  app.route("/rooms", roomMemberRoutes(deps));
  app.route("/rooms", roomLogRoutes(deps));
  app.route("/rooms", roomRoutes(deps));
  app.route("/presence", presenceEventRoutes(deps));
  app.route("/rooms", readRoutes(deps));
  app.route("/inbox", inboxRoutes(deps));
  app.route("/dm", dmRoutes(deps));
  app.route("/admin", adminRoutes(deps));
  app.route("/account", accountRoutes(deps));
  app.notFound((c) => c.text("Not found", 404));
  app.onError((error, c) => {
    if (isUnavailable(error)) return c.text(UNAVAILABLE_REASON, 503);
    // No path: some carry a secret (/reset/<token>); the request line names the route.
    log.error("Request failed", { method: c.req.method, error });
    return c.text("Something went wrong on the server; nothing was lost, try again", 500);
  });
  return app;
}
