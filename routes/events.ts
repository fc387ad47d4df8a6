import { Hono } from "hono";
import { enterRoom, refusal, refused, wholeNumber } from "./access.ts";
import type { AuthedEnv, Deps } from "./env.ts";
import { requireUser } from "./guards.ts";
import { sseData } from "./frames.ts";
import type { Subscriber } from "./hub.ts";

const encoder = new TextEncoder();
const KEEPALIVE_MS = 20_000;
/** Bytes queued for a slow reader before its stream is ended (it resumes on reconnect). */
const MAX_QUEUED = 4 * 1024 * 1024;

/** An SSE response whose stream is fed by `open`; `open` returns its cleanup. */
export function eventStream(
  open: (write: (bytes: Uint8Array) => void, end: () => void) => () => void,
) {
  let cleanup = () => {};
  let timer: ReturnType<typeof setInterval> | undefined;
  // Set by either side: the server ending the stream, or the reader going away (cancel).
  let ended = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(timer);
        cleanup();
        controller.close();
      };
      const write = (bytes: Uint8Array) => {
        if (ended) return;
        if ((controller.desiredSize ?? 0) < -MAX_QUEUED) return end();
        controller.enqueue(bytes);
      };
      write(encoder.encode("retry: 1000\n\n"));
      timer = setInterval(() => write(encoder.encode(": keep-alive\n\n")), KEEPALIVE_MS);
      cleanup = open(write, end);
    },
    cancel() {
      ended = true;
      clearInterval(timer);
      cleanup();
    },
  }, { highWaterMark: 0 });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}

/** `GET /rooms/:slug/events`: the room over the htmx sse extension. */
export function eventRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireUser());

  app.get("/:slug/events", async (c) => {
    const user = c.get("user");
    const room = await enterRoom(deps.db, c.req.param("slug"), user);
    if (refused(room)) return refusal(c, room);
    // The browser's own reconnect keeps the page-load URL but sends Last-Event-ID: it wins.
    const after = wholeNumber(c.req.header("last-event-id")) ?? wholeNumber(c.req.query("after"));
    // A stream accepted during shutdown would keep the server from ever finishing it.
    if (deps.hub.closing) return c.text("Server restarting", 503);
    return eventStream((write, end) => {
      const sub: Subscriber = {
        userId: user.id,
        cursor: after ?? room.version,
        send: (frame) => write(frame.sse),
        notice: (html) => write(encoder.encode(`event: message\n${sseData(html)}\n\n`)),
        close(code) {
          // A 4xxx close is final: `ended` makes the page's EventSource stop (sse-close).
          if (code >= 4000) write(encoder.encode("event: ended\ndata: 1\n\n"));
          end();
        },
      };
      const untrack = deps.hub.track(end, user.id);
      const leave = deps.hub.subscribe(room.id, sub);
      const away = deps.presence.enter(room, user, sub);
      return () => (untrack(), leave(), away());
    });
  });

  return app;
}
