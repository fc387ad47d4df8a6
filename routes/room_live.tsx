import type { Context } from "hono";
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { LiveSocket, type MessageFrame, type SocketActions } from "../live/live_socket.tsx";
import { ACCESS_CLOSED } from "../live/access_events.tsx";
import type { FeedChoice } from "../live/person_feeds.tsx";
import type { Room, User } from "../db/schema.ts";
import { EndedNotice } from "../views/ended_notice.tsx";
import { type RoomFinder, sharedRoom, wholeNumber } from "./access.ts";
import type { Deps } from "./env.ts";
import { parsePm } from "./pm.ts";
import type { Door, RoomEnv } from "./room.tsx";
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
export function endedSocket(c: Context, reason: string, signIn: boolean) {
  const { socket, response } = Deno.upgradeWebSocket(c.req.raw);
  socket.onopen = () => {
    socket.send(String(<EndedNotice reason={reason} link={signIn ? "signin" : "rooms"} />));
    socket.close(ACCESS_CLOSED, reason);
  };
  return response;
}

/** What a page's socket does with what it is sent: the same sending as a form post. */
export function socketActions(deps: Deps): SocketActions {
  return {
    submit: (input: { user: User; room: Room } & MessageFrame) => submitMessage(deps, input),
    waits: (body) => parsePm(body) !== null,
  };
}

/** Before the room is looked up: anything but an upgrade is told so (426). */
export const socketOnly = createMiddleware(async (c, next) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    return c.text("This endpoint speaks WebSocket only", 426);
  }
  await next();
});

/** How /live turns a person away: a page (`feeds`) gets an ended notice, others the status. */
export function socketDoor(find: RoomFinder): Door {
  const page = (c: Context) => c.req.query("feeds") !== undefined;
  return {
    find,
    signedOut: (c) => page(c) ? endedSocket(c, SIGNED_OUT, true) : c.text(SIGNED_OUT, 401),
    refused: (c, no) => page(c) ? endedSocket(c, no.reason, false) : c.text(no.reason, no.status),
  };
}

/**
 * `GET /rooms/:slug/live` (a room page, or a room-only client): the page's one WebSocket, for
 * the htmx ws extension (other pages use /feeds/live, routes/feeds.tsx).
 */
export function roomLiveRoutes(deps: Deps) {
  const actions = socketActions(deps);
  return new Hono<RoomEnv>().get("/", (c) => {
    const room = c.get("room");
    // A connection accepted during shutdown would keep the server from ever finishing it.
    if (deps.hub.closing) return c.text("Server restarting", 503);
    const { socket, response } = Deno.upgradeWebSocket(c.req.raw, { idleTimeout: 25 });
    new LiveSocket(deps, actions, socket, {
      user: c.get("user"),
      session: c.get("session"),
      room: sharedRoom(room),
      cursor: wholeNumber(c.req.query("after")) ?? room.version,
      greet: c.req.query("again") === undefined,
      feeds: feedChoice(c, room),
    });
    return response;
  });
}
