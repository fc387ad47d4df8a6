// The load generator's clients: WebSocket and SSE subscribers, WebSocket senders, and the
// tracker that turns received frames into latencies, losses and duplicates.
import { BucketMax, Samples, Timeline } from "./stats.ts";

/** Every body is exactly this many bytes. */
export const BODY_BYTES = 64;

/** A 64-byte body carrying the send index and the send time: `bm<index>t<µs>....`. */
export function make_body(index: number, sent_us: number): string {
  return `bm${index}t${sent_us}.`.padEnd(BODY_BYTES, ".");
}

function digits_at(text: string, from: number): { value: number; end: number } {
  let value = 0;
  let end = from;
  for (; end < text.length; end++) {
    const code = text.charCodeAt(end);
    if (code < 48 || code > 57) break;
    value = value * 10 + code - 48;
  }
  return { value, end };
}

/**
 * Calls `found` once for every message marker in a pushed frame (HTML, SSE or raw JSON).
 * A frame can show one body more than once (e.g. also in an edit form); that is one
 * delivery, so repeats within a frame are skipped.
 */
export function scan_markers(text: string, found: (index: number, sent_us: number) => void) {
  let first = -1;
  let others: Set<number> | null = null;
  let at = text.indexOf("bm");
  while (at !== -1) {
    const index = digits_at(text, at + 2);
    if (index.end > at + 2 && text.charCodeAt(index.end) === 116 /* t */) {
      const sent = digits_at(text, index.end + 1);
      if (sent.end > index.end + 1 && text.charCodeAt(sent.end) === 46 /* . */) {
        const i = index.value;
        if (first === -1) (first = i, found(i, sent.value));
        else if (i !== first && !(others ??= new Set()).has(i)) {
          (others.add(i), found(i, sent.value));
        }
        at = text.indexOf("bm", sent.end);
        continue;
      }
    }
    at = text.indexOf("bm", at + 2);
  }
}

/** First few connection problems, and how many there were. */
export class ErrorLog {
  count = 0;
  readonly samples: string[] = [];

  /** Records one problem. */
  add(message: string): void {
    this.count++;
    if (this.samples.length < 5) this.samples.push(message);
  }
}

/**
 * Who received what. Indices below `first_measured` are warm-up messages: they are tracked
 * (to know the room is live) but left out of every figure.
 */
export class Tracker {
  readonly latencies = new Samples();
  readonly echo_latencies = new Samples();
  readonly timeline = new Timeline(100);
  /** Worst latency per 100 ms of send time. */
  readonly worst = new BucketMax(100);
  readonly per_message: Uint32Array;
  readonly #seen: Uint8Array;
  delivered = 0;
  /** Unique deliveries including warm-up, and the characters of every frame received. */
  all_deliveries = 0;
  received_chars = 0;
  duplicates = 0;
  strays = 0;
  last_delivery_ms = 0;

  constructor(
    readonly subscribers: number,
    readonly indices: number,
    readonly first_measured: number,
  ) {
    this.per_message = new Uint32Array(indices);
    this.#seen = new Uint8Array(subscribers * indices);
  }

  /** Sets the time zero of the time series. */
  start(at_ms: number): void {
    this.timeline.start(at_ms);
    this.worst.start(at_ms);
  }

  /** Records that subscriber `sub` received message `index`, sent at `sent_us`. */
  record(sub: number, index: number, sent_us: number, now_ms: number): void {
    if (index >= this.indices) return void this.strays++;
    const slot = sub * this.indices + index;
    if (this.#seen[slot]) return void this.duplicates++;
    this.#seen[slot] = 1;
    this.per_message[index]++;
    this.all_deliveries++;
    if (index < this.first_measured) return;
    this.delivered++;
    this.last_delivery_ms = now_ms;
    const latency = now_ms - sent_us / 1000;
    this.latencies.push(latency);
    this.timeline.add(now_ms);
    this.worst.add(sent_us / 1000, latency);
  }

  /** Measured messages that did not reach every subscriber. */
  lost_messages(sent: number): number {
    let lost = 0;
    const end = Math.min(this.indices, this.first_measured + sent);
    for (let i = this.first_measured; i < end; i++) {
      if (this.per_message[i] < this.subscribers) lost++;
    }
    return lost;
  }
}

/** An open client connection. */
export interface Connection {
  close(): void;
}

/** Callbacks of one connection: a pushed text frame, or an unexpected end. */
export interface Handlers {
  on_text(text: string): void;
  on_drop(reason: string): void;
}

/** Opens a WebSocket with handshake headers (cookie, origin); resolves once open. */
export function open_ws(
  url: string,
  headers: Record<string, string>,
  handlers: Handlers,
  timeout_ms: number,
): Promise<Connection & { socket: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    let opened = false;
    let closing = false;
    const timer = setTimeout(() => {
      if (!opened) reject(new Error(`WebSocket ${url} did not open in ${timeout_ms} ms`));
      socket.close();
    }, timeout_ms);
    socket.onopen = () => {
      opened = true;
      clearTimeout(timer);
      resolve({ socket, close: () => (closing = true, socket.close(1000)) });
    };
    socket.onmessage = (event) => {
      if (typeof event.data === "string") handlers.on_text(event.data);
    };
    socket.onerror = () => {};
    socket.onclose = (event) => {
      clearTimeout(timer);
      if (!opened) reject(new Error(`WebSocket refused (close ${event.code}) for ${url}`));
      else if (!closing) handlers.on_drop(`WebSocket closed: ${event.code} ${event.reason}`);
    };
  });
}

async function read_events(
  body: ReadableStream<Uint8Array>,
  handlers: Handlers,
  closing: () => boolean,
): Promise<void> {
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    for await (const chunk of body) {
      buffered += decoder.decode(chunk, { stream: true });
      const end = buffered.lastIndexOf("\n\n");
      if (end === -1) continue;
      handlers.on_text(buffered.slice(0, end));
      buffered = buffered.slice(end + 2);
    }
    if (!closing()) handlers.on_drop("SSE stream ended");
  } catch (error) {
    if (!closing()) handlers.on_drop(`SSE stream failed: ${(error as Error).message}`);
  }
}

/** Opens an SSE stream with fetch and reads whole events; resolves once headers arrive. */
export async function open_sse(
  url: string,
  headers: Record<string, string>,
  handlers: Handlers,
  timeout_ms: number,
): Promise<Connection> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeout_ms);
  let closing = false;
  const response = await fetch(url, { headers, signal: abort.signal }).finally(() =>
    clearTimeout(timer)
  );
  const type = response.headers.get("content-type") ?? "";
  if (!response.ok || !response.body || !type.startsWith("text/event-stream")) {
    await response.body?.cancel();
    throw new Error(`SSE ${url} answered ${response.status} ${type}`);
  }
  read_events(response.body, handlers, () => closing);
  return { close: () => (closing = true, abort.abort()) };
}

/** A sending WebSocket that counts its own messages in flight until they come back. */
export class Sender {
  #connection: (Connection & { socket: WebSocket }) | null = null;
  #in_flight = new Map<number, number>();
  #waiters: (() => void)[] = [];
  send_errors = 0;
  expired = 0;

  constructor(
    readonly id: number,
    private tracker: Tracker,
    private owner_of: Int16Array,
  ) {}

  /** Connects; `on_drop` hears about an unexpected close. */
  async open(url: string, headers: Record<string, string>, errors: ErrorLog, timeout_ms: number) {
    this.#connection = await open_ws(url, headers, {
      on_text: (text) => this.#on_text(text),
      on_drop: (reason) => errors.add(`sender ${this.id}: ${reason}`),
    }, timeout_ms);
  }

  /** True while the socket is open. */
  get open_now(): boolean {
    return this.#connection?.socket.readyState === WebSocket.OPEN;
  }

  /** Messages sent and not yet seen coming back. */
  get in_flight(): number {
    return this.#in_flight.size;
  }

  /** Sends message `index` as a JSON frame with a 64-byte body. */
  send(index: number): void {
    const now = performance.now();
    this.owner_of[index] = this.id;
    this.#in_flight.set(index, now);
    const body = make_body(index, Math.round(now * 1000));
    this.#connection!.socket.send(JSON.stringify({ body, client_id: `c${index}` }));
  }

  /** Resolves when one of this sender's messages comes back, or after `ms`. */
  wait_progress(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#waiters.push(done);
    });
  }

  /** Stops waiting for messages older than `ms` (they will show up as lost). */
  expire(ms: number): void {
    const limit = performance.now() - ms;
    for (const [index, at] of this.#in_flight) {
      if (at < limit) (this.#in_flight.delete(index), this.expired++);
    }
  }

  /** Closes the socket. */
  close(): void {
    this.#connection?.close();
  }

  #on_text(text: string): void {
    const now = performance.now();
    if (text.includes('id="composer"')) this.send_errors++;
    scan_markers(text, (index, sent_us) => {
      if (index >= this.owner_of.length || this.owner_of[index] !== this.id) return;
      if (!this.#in_flight.delete(index)) return;
      if (index >= this.tracker.first_measured) {
        this.tracker.echo_latencies.push(now - sent_us / 1000);
      }
    });
    for (const wake of this.#waiters.splice(0)) wake();
  }
}
