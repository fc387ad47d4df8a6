import { Hono } from "hono";
import { ENDED, sse } from "../live/event_stream.ts";
import { PageStream } from "../live/page_stream.tsx";
import { EndedNotice } from "../views/ended_notice.tsx";
import { enterRoom, refused, roomFinder, sharedRoom, wholeNumber } from "./access.ts";
import type { Deps, Env } from "./env.ts";
import { feedChoice, SIGNED_OUT } from "./live.tsx";

/**
 * A page's stream that may not open (signed out, no access): one event saying why, then
 * `ended`, which stops the page's EventSource for good; other clients get the HTTP status.
 */
function endedStream(reason: string, signIn: boolean): Response {
  const notice = String(<EndedNotice reason={reason} link={signIn ? "signin" : "rooms"} />);
  const bytes = [sse({ event: "message", data: notice }), ENDED];
  return new Response(new Blob(bytes as BlobPart[]).stream(), {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
  });
}

/**
 * `GET /rooms/:slug/events` (a room page on SSE, or a room-only client) and `GET
 * /feeds/events` (any other page on SSE): the page's one event stream, for the htmx sse
 * extension.
 */
export function eventRoutes(deps: Deps) {
  const app = new Hono<Env>();
  const findRoom = roomFinder(deps.db);

  app.get("/rooms/:slug/events", async (c) => {
    const page = c.req.query("feeds") !== undefined;
    const user = c.get("user");
    if (!user) return page ? endedStream(SIGNED_OUT, true) : c.text(SIGNED_OUT, 401);
    const room = await enterRoom(deps.db, c.req.param("slug"), user, findRoom);
    if (refused(room)) {
      return page ? endedStream(room.reason, false) : c.text(room.reason, room.status);
    }
    // The browser's own reconnect keeps the page-load URL but sends Last-Event-ID: it wins.
    const resumed = wholeNumber(c.req.header("last-event-id"));
    const after = resumed ?? wholeNumber(c.req.query("after"));
    // A stream accepted during shutdown would keep the server from ever finishing it.
    if (deps.hub.closing) return c.text("Server restarting", 503);
    return new PageStream(deps, {
      user,
      session: c.get("session"),
      room: sharedRoom(room),
      cursor: after ?? room.version,
      greet: resumed === null && c.req.query("again") === undefined,
      feeds: feedChoice(c, room),
    }).response();
  });

  app.get("/feeds/events", (c) => {
    const user = c.get("user");
    if (!user) return endedStream(SIGNED_OUT, true);
    if (deps.hub.closing) return c.text("Server restarting", 503);
    return new PageStream(deps, {
      user,
      session: c.get("session"),
      room: null,
      cursor: 0,
      greet: false,
      feeds: feedChoice(c, null),
    }).response();
  });

  return app;
}
