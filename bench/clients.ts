// The load generator's clients: WebSocket and SSE connections, and WebSocket senders that
// count their own messages in flight.
import { make_body, scan_markers } from "./markers.ts";
import type { ErrorLog, Tracker } from "./tracker.ts";

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
