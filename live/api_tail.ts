// A script's tail of a room (`curl -N …/rooms/:slug/events`): one line per change, as text
// (`14:05 ana: hello`) or as JSON objects, on the hub like a page's stream (same cursor, same
// catch-up, same closing on shutdown and lost access) but reading rows, not rendered HTML.
import type { Kysely } from "kysely";
import { changesSince } from "../db/messages.ts";
import type { Database, Room, User } from "../db/schema.ts";
import type { LiveLabel } from "./connections.ts";
import type { Frame } from "./frames.ts";
import type { Hub, Subscriber } from "./hub.ts";
import { log } from "../log.ts";
import { jsonLine, type TailFormat, textLine } from "./tail_lines.ts";

const encoder = new TextEncoder();
/** Bytes queued for a slow reader before its tail is ended (as live/event_stream.ts). */
const MAX_QUEUED = 4 * 1024 * 1024;

/** A tail stream: the hub's subscriber, the connection shutdown tracks, and the body's source. */
export class ApiTail implements Subscriber, UnderlyingDefaultSource<Uint8Array> {
  /** The hub's cursor (what it has sent us); #written is what the reader has. */
  cursor: number;
  #written: number;
  #controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  #leave: (() => void) | null = null;
  #pulling: Promise<void> | null = null;
  #again = false;

  constructor(
    private parts: { db: Kysely<Database>; hub: Hub },
    private place: {
      user: User;
      /** The token's session (db/api_tokens.ts tokenSession): revoking it ends the tail. */
      session: string | null;
      room: Room;
      cursor: number;
      format: TailFormat;
    },
  ) {
    this.cursor = place.cursor;
    this.#written = place.cursor;
  }

  get userId(): string {
    return this.place.user.id;
  }

  get session(): string | null {
    return this.place.session;
  }

  get label(): LiveLabel {
    return { transport: "sse", carries: this.place.room.slug };
  }

  /** The streamed response; the header says where it started, for a script to resume from. */
  response(): Response {
    const type = this.place.format.json ? "application/x-ndjson" : "text/plain";
    return new Response(new ReadableStream(this, { highWaterMark: 0 }), {
      headers: {
        "content-type": `${type}; charset=utf-8`,
        "cache-control": "no-cache, no-transform",
        "x-accel-buffering": "no",
        "x-room-version": String(this.place.cursor),
      },
    });
  }

  start(controller: ReadableStreamDefaultController<Uint8Array>) {
    this.#controller = controller;
    this.parts.hub.track(this);
    this.#leave = this.parts.hub.subscribe(this.place.room.id, this);
  }

  cancel() {
    this.#finish();
  }

  /** The hub has something newer: read the rows after what the reader has. */
  send(_frame: Frame) {
    this.#pull();
  }

  notice() {}

  close() {
    if (!this.#controller) return;
    const controller = this.#controller;
    this.#finish();
    try {
      controller.close();
    } catch { /* already closed by the reader */ }
  }

  #finish() {
    this.#leave?.();
    this.#leave = null;
    this.parts.hub.untrack(this);
    this.#controller = null;
  }

  #pull() {
    if (this.#pulling) return void (this.#again = true);
    this.#pulling = this.#readAll().catch((error) => {
      log.error("A room tail could not read its changes", { error });
      this.close();
    }).finally(() => {
      this.#pulling = null;
      if (this.#again && this.#controller) (this.#again = false, this.#pull());
    });
  }

  async #readAll() {
    const { format, room } = this.place;
    for (;;) {
      const rows = await changesSince(this.parts.db, room.id, this.#written);
      if (!rows.length || !this.#controller) return;
      const lines = rows.map((m) => format.json ? jsonLine(m) : textLine(m, format)).join("");
      this.#written = rows[rows.length - 1].version;
      // A reader this far behind is cut off; it resumes from its last version.
      if ((this.#controller.desiredSize ?? 0) < -MAX_QUEUED) return this.close();
      if (lines) this.#controller.enqueue(encoder.encode(lines));
    }
  }
}
