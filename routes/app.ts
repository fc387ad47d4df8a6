import { Hono } from "hono";
import { isUnavailable, UNAVAILABLE_REASON } from "../db/unavailable.ts";
import { accountRoutes } from "./account.tsx";
import { adminRoutes } from "./admin.tsx";
import { archiveRoutes, robotsRoutes } from "./archive.tsx";
import { invitationRoutes } from "./invitations.tsx";
import { resetRoutes } from "./reset.tsx";
import { authRoutes } from "./auth.tsx";
import { checkAuthInput } from "./auth_input.tsx";
import type { Deps, Env } from "./env.ts";
import { controlsCssRoutes } from "./controls_css.ts";
import { checkOrigin, loadSession, resolveClientAddress } from "./guards.ts";
import { dmRoutes } from "./dm.tsx";
import { securityHeaders } from "./headers.ts";
import { healthRoutes } from "./health.ts";
import { hookRoutes } from "./hooks.ts";
import { inboxRoutes } from "./inbox.tsx";
import { limitBodies } from "./limits.tsx";
import { lobbyRoutes } from "./lobby.tsx";
import { mentionFeedRoutes } from "./mention_feed.ts";
import { metricsRoutes } from "./metrics.ts";
import { presenceEventRoutes } from "./presence_events.tsx";
import { requestLog } from "./request_log.ts";
import { searchRoutes } from "./search.tsx";
import { staticRoutes } from "./static.ts";
import { feedRoutes } from "./feeds.tsx";
import { messageEditRoutes } from "./message_edits.tsx";
import { reactionRoutes } from "./message_reactions.tsx";
import { revisionRoutes } from "./message_revisions.tsx";
import { roomScoped } from "./room.tsx";
import { roomEventRoutes } from "./room_events.tsx";
import { roomFileRoutes } from "./room_files.tsx";
import { roomLiveRoutes } from "./room_live.tsx";
import { roomLogRoutes } from "./room_log.tsx";
import { roomMemberRoutes } from "./room_members.tsx";
import { messageScoped, permalinkRoutes } from "./room_message.tsx";
import { roomMessageRoutes } from "./room_messages.tsx";
import { roomPageRoutes } from "./room_page.tsx";
import { readRoutes } from "./room_read.ts";
import { typingRoutes } from "./room_typing.ts";
import { roomsRoutes } from "./rooms.tsx";
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
  app.use(limitBodies(deps.config.fileMaxBytes));
  app.route("/", await staticRoutes());
  app.route("/", controlsCssRoutes());
  app.route("/", healthRoutes(deps));
  app.route("/", metricsRoutes(deps));
  // Incoming webhooks carry their own secret and no cookie: before the Origin check.
  app.route("/hooks", hookRoutes(deps));
  app.use(checkOrigin(deps.config));
  app.use(resolveClientAddress(deps.config), loadSession(deps.db, deps.config));
  app.on("POST", ["/signup", "/login", "/guest"], checkAuthInput(deps));
  app.route("/", authRoutes(deps));
  app.route("/join", invitationRoutes(deps));
  app.route("/", resetRoutes(deps));
  app.route("/", lobbyRoutes(deps));
  app.route("/", searchRoutes(deps));
  app.route("/rooms", roomsRoutes(deps)); // POST /rooms only
  app.route("/rooms/:slug", roomApp(deps));
  app.route("/feeds", feedRoutes(deps)); // the one connection of a page without a room
  app.route("/feeds/mentions", mentionFeedRoutes(deps)); // a person's private Atom feed
  app.route("/archive", archiveRoutes(deps)); // public rooms' history, no session needed
  app.route("/", robotsRoutes());
  app.route("/presence", presenceEventRoutes(deps));
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

/**
 * Everything under /rooms/:slug, one app: its middleware (routes/room.tsx) checks the login,
 * loads the room and applies the read rule once; under /messages/:id the message is loaded
 * once too (routes/room_message.tsx). Each line names the file that answers the prefix.
 */
function roomApp(deps: Deps) {
  const message = messageScoped(deps)
    .route("/", permalinkRoutes(deps)) // room_message.tsx: GET, the room page around it
    .route("/", messageEditRoutes(deps)) // message_edits.tsx: /edit, /delete
    .route("/reactions", reactionRoutes(deps)) // message_reactions.tsx
    .route("/revisions", revisionRoutes(deps)); // message_revisions.tsx
  return roomScoped(deps)
    .route("/", roomPageRoutes(deps)) // room_page.tsx: GET, the room page
    .route("/messages", roomMessageRoutes(deps)) // room_messages.tsx: send, older history
    .route("/messages/:id", message)
    .route("/files", roomFileRoutes(deps)) // room_files.tsx: a message's files, served
    .route("/members", roomMemberRoutes(deps)) // room_members.tsx
    .route("/read", readRoutes(deps)) // room_read.ts
    .route("/typing", typingRoutes(deps)) // room_typing.ts
    .route("/log", roomLogRoutes(deps)) // room_log.tsx: the list's frame without JavaScript
    .route("/live", roomLiveRoutes(deps)) // room_live.tsx: the page's WebSocket
    .route("/events", roomEventRoutes(deps)); // room_events.tsx: the page's SSE stream
}
