// Server-Sent Event streams: the one encoder (sse) and the base class every stream shares.
import type { LiveConnections, LiveLabel, Tracked } from "./connections.ts";

const encoder = new TextEncoder();
const KEEPALIVE_MS = 20_000;
/** Bytes queued for a slow reader before its stream is ended (it resumes on reconnect). */
const MAX_QUEUED = 4 * 1024 * 1024;
const KEEPALIVE = encoder.encode(": keep-alive\n\n");
/** The event that makes a page's stream stop for good (the htmx sse extension's sse-close). */
export const ENDED = sse({ event: "ended", data: "1" });
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

/** The fields of one Server-Sent Event; any may be left out (an `id` alone sets the resume point). */
export interface SseFields {
  id?: number | string;
  event?: string;
  data?: string;
  /** The reconnect delay the browser should use, in ms. */
  retry?: number;
}

/** A line break in `id` or `event` would start a field the caller never wrote. */
function singleLine(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`An SSE ${name} cannot hold a line break`);
  return value;
}

/**
 * The one place stream bytes are written: one event with its `id:`, `event:`, one `data:` line
 * per line of `data` (a newline would otherwise end the field) and `retry:`, then the blank line
 * that dispatches it.
 */
export function sse(fields: SseFields): Uint8Array {
  const lines: string[] = [];
  if (fields.id !== undefined) lines.push(`id: ${singleLine("id", String(fields.id))}`);
  if (fields.event !== undefined) lines.push(`event: ${singleLine("event", fields.event)}`);
  for (const line of fields.data?.split(/\r\n|\r|\n/) ?? []) lines.push(`data: ${line}`);
  if (fields.retry !== undefined) {
    if (!Number.isInteger(fields.retry) || fields.retry < 0) {
      throw new Error(`An SSE retry must be a whole number of ms, got ${fields.retry}`);
    }
    lines.push(`retry: ${fields.retry}`);
  }
  return encoder.encode(`${lines.join("\n")}\n\n`);
}

/** The last notice encoded: the same notice goes to every reader of a room in a row. */
let lastNotice: { html: string; bytes: Uint8Array } = { html: "", bytes: new Uint8Array() };

/** One `message` event carrying `html` (encoded once for a run of readers). */
export function noticeEvent(html: string): Uint8Array {
  if (lastNotice.html !== html) lastNotice = { html, bytes: sse({ event: "message", data: html }) };
  return lastNotice.bytes;
}

/**
 * The reconnect delay a stream asks its browser for: 0.5-1.5 s, different per stream, so
 * the pages of a restarted instance do not all come back in the same instant.
 */
function retryField(): Uint8Array {
  return sse({ retry: 500 + Math.floor(Math.random() * 1000) });
}

/**
 * A Server-Sent Events stream: the stream's source and the connection shutdown tracks in one
 * object. Subclasses say what happens when the reader arrives (`opened`) and goes (`closed`).
 */
export abstract class EventStream implements UnderlyingDefaultSource<Uint8Array>, Tracked {
  #controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  // Set by either side: the server ending the stream, or the reader going away (cancel).
  #ended = false;

  constructor(
    protected connections: LiveConnections,
    readonly userId: string,
    readonly session: string | null,
  ) {}

  /** The SSE response that reads this stream. */
  response(): Response {
    return new Response(new ReadableStream(this, { highWaterMark: 0 }), { headers: HEADERS });
  }

  start(controller: ReadableStreamDefaultController<Uint8Array>) {
    this.#controller = controller;
    this.write(retryField());
    open.add(this);
    keepAlive ??= setInterval(beat, KEEPALIVE_MS);
    this.connections.track(this);
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

  /** Something that is not part of the room log (presence, typing, feeds, notices). */
  notice(html: string) {
    this.write(noticeEvent(html));
  }

  /** Ends the stream from the server side. */
  end() {
    if (this.#ended) return;
    this.#finish();
    this.#controller?.close();
  }

  close(code: number, reason: string) {
    // A 4xxx close is final: `ended` makes the page's EventSource stop (sse-close).
    if (code >= 4000) this.write(ENDED);
    this.connections.untrack(this, { code, reason });
    this.end();
  }

  /** For the log and /metrics: a stream without a room carries the person's feeds. */
  get label(): LiveLabel {
    return { transport: "sse", carries: "feeds" };
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
    this.connections.untrack(this);
    this.closed();
  }
}
