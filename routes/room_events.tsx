import type { Context } from "hono";
import { Hono } from "hono";
import { ENDED, sse } from "../live/event_stream.ts";
import { PageStream } from "../live/page_stream.tsx";
import { EndedNotice } from "../views/ended_notice.tsx";
import { type RoomFinder, sharedRoom, wholeNumber } from "./access.ts";
import { tailFormat, tailResponse } from "./api_tail.ts";
import type { Deps } from "./env.ts";
import type { Door, RoomEnv } from "./room.tsx";
import { feedChoice, SIGNED_OUT } from "./room_live.tsx";

/**
 * A page's stream that may not open (signed out, no access): one event saying why, then
 * `ended`, which stops the page's EventSource for good; other clients get the HTTP status.
 */
export function endedStream(reason: string, signIn: boolean): Response {
  const notice = String(<EndedNotice reason={reason} link={signIn ? "signin" : "rooms"} />);
  const bytes = [sse({ event: "message", data: notice }), ENDED];
  return new Response(new Blob(bytes as BlobPart[]).stream(), {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
  });
}

/** How /events turns a person away: a page (`feeds`) gets `ended`, others the status. */
export function streamDoor(find: RoomFinder): Door {
  const page = (c: Context) => c.req.query("feeds") !== undefined;
  return {
    find,
    signedOut: (c) => page(c) ? endedStream(SIGNED_OUT, true) : c.text(SIGNED_OUT, 401),
    refused: (c, no) => page(c) ? endedStream(no.reason, false) : c.text(no.reason, no.status),
  };
}

/**
 * `GET /rooms/:slug/events` (a room page on SSE, or a room-only client): the page's one event
 * stream, for the htmx sse extension (other pages use /feeds/events, routes/feeds.tsx).
 */
export function roomEventRoutes(deps: Deps) {
  return new Hono<RoomEnv>().get("/", (c) => {
    const room = c.get("room");
    // The browser's own reconnect keeps the page-load URL but sends Last-Event-ID: it wins.
    const resumed = wholeNumber(c.req.header("last-event-id"));
    const after = resumed ?? wholeNumber(c.req.query("after"));
    // A stream accepted during shutdown would keep the server from ever finishing it.
    if (deps.hub.closing) return c.text("Server restarting", 503);
    // A script's tail (text or JSON lines, routes/api_tail.ts); a page's stream is below.
    const format = tailFormat(c, deps);
    if (format) return tailResponse(c, deps, { cursor: after ?? room.version, format });
    return new PageStream(deps, {
      user: c.get("user"),
      session: c.get("session"),
      room: sharedRoom(room),
      cursor: after ?? room.version,
      greet: resumed === null && c.req.query("again") === undefined,
      feeds: feedChoice(c, room),
    }).response();
  });
}
