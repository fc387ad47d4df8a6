import { Hono } from "hono";
import type { Room, User } from "../db/schema.ts";
import { enterRoom, refusal, refused, sharedRoom, wholeNumber } from "./access.ts";
import type { AuthedEnv, Deps } from "./env.ts";
import { requireUser } from "./guards.ts";
import { type Frame, sseData } from "./frames.ts";
import type { Tracked } from "./connections.ts";
import type { Hub, Subscriber } from "./hub.ts";

const encoder = new TextEncoder();
const KEEPALIVE_MS = 20_000;
/** Bytes queued for a slow reader before its stream is ended (it resumes on reconnect). */
const MAX_QUEUED = 4 * 1024 * 1024;
const RETRY = encoder.encode("retry: 1000\n\n");
const KEEPALIVE = encoder.encode(": keep-alive\n\n");
const ENDED = encoder.encode("event: ended\ndata: 1\n\n");
const HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
};

/** Open streams share one keep-alive timer (one timer per stream costs memory per reader). */
const open = new Set<EventStream>();
let keepAlive: ReturnType<typeof setInterval> | undefined;

function beat() {
  for (const stream of open) stream.write(KEEPALIVE);
}

/** The last notice encoded: the same notice goes to every reader of a room in a row. */
let lastNotice = { html: "", bytes: new Uint8Array() };

/** One `message` event carrying `html` (encoded once for a run of readers). */
function noticeEvent(html: string): Uint8Array {
  if (lastNotice.html !== html) {
    lastNotice = { html, bytes: encoder.encode(`event: message\n${sseData(html)}\n\n`) };
  }
  return lastNotice.bytes;
}

/**
 * A Server-Sent Events stream: the stream's source and the connection shutdown tracks in one
 * object. Subclasses say what happens when the reader arrives (`opened`) and goes (`closed`).
 */
export abstract class EventStream implements UnderlyingDefaultSource<Uint8Array>, Tracked {
  #controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  // Set by either side: the server ending the stream, or the reader going away (cancel).
  #ended = false;

  constructor(protected hub: Hub, readonly userId: string, readonly session: string | null) {}

  /** The SSE response that reads this stream. */
  response(): Response {
    return new Response(new ReadableStream(this, { highWaterMark: 0 }), { headers: HEADERS });
  }

  start(controller: ReadableStreamDefaultController<Uint8Array>) {
    this.#controller = controller;
    this.write(RETRY);
    open.add(this);
    keepAlive ??= setInterval(beat, KEEPALIVE_MS);
    this.hub.track(this);
    this.opened();
  }

  cancel() {
    this.#finish();
  }

  /** Queues bytes for the reader; a reader too far behind is cut off (it reconnects). */
  write(bytes: Uint8Array) {
    const controller = this.#controller;
    if (this.#ended || !controller) return;
    if ((controller.desiredSize ?? 0) < -MAX_QUEUED) return this.end();
    controller.enqueue(bytes);
  }

  /** Ends the stream from the server side. */
  end() {
    if (this.#ended) return;
    this.#finish();
    this.#controller?.close();
  }

  close(_code: number, _reason: string) {
    this.end();
  }

  protected abstract opened(): void;
  protected abstract closed(): void;

  #finish() {
    if (this.#ended) return;
    this.#ended = true;
    open.delete(this);
    if (!open.size) {
      clearInterval(keepAlive);
      keepAlive = undefined;
    }
    this.hub.untrack(this);
    this.closed();
  }
}

/**
 * A room over SSE: the stream and the hub's subscriber in one object, with no closures (a
 * room can hold thousands of idle readers).
 */
class RoomStream extends EventStream implements Subscriber {
  cursor: number;
  #leave: (() => void) | null = null;
  #away: (() => void) | null = null;
  #greet: boolean;

  constructor(
    private deps: Deps,
    private user: User,
    private room: Room,
    at: { cursor: number; greet: boolean; session: string | null },
  ) {
    super(deps.hub, user.id, at.session);
    this.cursor = at.cursor;
    this.#greet = at.greet;
  }

  protected opened() {
    this.#leave = this.hub.subscribe(this.room.id, this);
    this.#away = this.deps.presence.enter(this.room, this.user, this, this.#greet);
  }

  protected closed() {
    this.#leave?.();
    this.#away?.();
  }

  send(frame: Frame) {
    this.write(frame.sse);
  }

  notice(html: string) {
    this.write(noticeEvent(html));
  }

  override close(code: number, _reason: string) {
    // A 4xxx close is final: `ended` makes the page's EventSource stop (sse-close).
    if (code >= 4000) this.write(ENDED);
    this.end();
  }
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
    const resumed = wholeNumber(c.req.header("last-event-id"));
    const after = resumed ?? wholeNumber(c.req.query("after"));
    // A stream accepted during shutdown would keep the server from ever finishing it.
    if (deps.hub.closing) return c.text("Server restarting", 503);
    const at = {
      session: c.get("session"),
      cursor: after ?? room.version,
      greet: resumed === null && c.req.query("again") === undefined,
    };
    return new RoomStream(deps, user, sharedRoom(room), at).response();
  });

  return app;
}
