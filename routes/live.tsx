import type { Context } from "hono";
import { Hono } from "hono";
import { LiveSocket, type MessageFrame, type SocketActions } from "../live/live_socket.tsx";
import { ACCESS_CLOSED } from "../live/access_events.tsx";
import type { FeedChoice } from "../live/person_feeds.tsx";
import type { Room, User } from "../db/schema.ts";
import { EndedNotice } from "../views/ended_notice.tsx";
import { enterRoom, refused, roomFinder, sharedRoom, wholeNumber } from "./access.ts";
import type { Deps, Env } from "./env.ts";
import { parsePm } from "./pm.ts";
import { submitMessage } from "./submit.ts";

/** Why a page's connection was refused before it opened, said once and not retried. */
export const SIGNED_OUT = "You are signed out";

/** The feeds a page asked for: `feeds=1` on a room (with its sidebar), `rooms=1` elsewhere. */
export function feedChoice(c: Context, viewing: Room | null): FeedChoice | null {
  if (viewing) return c.req.query("feeds") ? { rooms: true, viewing: viewing.id } : null;
  return { rooms: c.req.query("rooms") !== undefined, viewing: null };
}

/**
 * A page's connection that may not open (signed out, no access): accepted, told why and
 * closed for good (4403), so the page stops retrying; other clients get the HTTP status.
 */
function endedSocket(c: Context, reason: string, signIn: boolean) {
  const { socket, response } = Deno.upgradeWebSocket(c.req.raw);
  socket.onopen = () => {
    socket.send(String(<EndedNotice reason={reason} link={signIn ? "signin" : "rooms"} />));
    socket.close(ACCESS_CLOSED, reason);
  };
  return response;
}

/**
 * `GET /rooms/:slug/live` (a room page, or a room-only client) and `GET /feeds/live` (any
 * other page): the page's one WebSocket, for the htmx ws extension.
 */
export function liveRoutes(deps: Deps) {
  const app = new Hono<Env>();
  const findRoom = roomFinder(deps.db);
  const actions: SocketActions = {
    submit: (input: { user: User; room: Room } & MessageFrame) => submitMessage(deps, input),
    waits: (body) => parsePm(body) !== null,
  };

  app.get("/rooms/:slug/live", async (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      return c.text("This endpoint speaks WebSocket only", 426);
    }
    const page = c.req.query("feeds") !== undefined;
    const user = c.get("user");
    if (!user) return page ? endedSocket(c, SIGNED_OUT, true) : c.text(SIGNED_OUT, 401);
    const room = await enterRoom(deps.db, c.req.param("slug"), user, findRoom);
    if (refused(room)) {
      return page ? endedSocket(c, room.reason, false) : c.text(room.reason, room.status);
    }
    // A connection accepted during shutdown would keep the server from ever finishing it.
    if (deps.hub.closing) return c.text("Server restarting", 503);
    const { socket, response } = Deno.upgradeWebSocket(c.req.raw, { idleTimeout: 25 });
    new LiveSocket(deps, actions, socket, {
      user,
      session: c.get("session"),
      room: sharedRoom(room),
      cursor: wholeNumber(c.req.query("after")) ?? room.version,
      greet: c.req.query("again") === undefined,
      feeds: feedChoice(c, room),
    });
    return response;
  });

  app.get("/feeds/live", (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      return c.text("This endpoint speaks WebSocket only", 426);
    }
    const user = c.get("user");
    if (!user) return endedSocket(c, SIGNED_OUT, true);
    if (deps.hub.closing) return c.text("Server restarting", 503);
    const { socket, response } = Deno.upgradeWebSocket(c.req.raw, { idleTimeout: 25 });
    new LiveSocket(deps, actions, socket, {
      user,
      session: c.get("session"),
      room: null,
      cursor: 0,
      greet: false,
      feeds: feedChoice(c, null),
    });
    return response;
  });

  return app;
}
