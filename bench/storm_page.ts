// A room page's one live connection as the browser holds it (bench/storm.ts, bench/soak.ts):
// WebSocket (`/rooms/<slug>/live?feeds=1`) or SSE (`/rooms/<slug>/events?feeds=1`), which
// reconnects the way static/chat.js with the htmx extensions does, resumes after the last
// cursor it applied, and records what it received (message markers), when it was back and
// when it was caught up (`#synced`).
import { scan_markers } from "./markers.ts";
import { sleep } from "./timing.ts";

/** How a page reconnects after its connection drops. */
export type Reconnect =
  /** as the browser does: WebSocket min(2000, 300*2^retry) * (0.5..1) ms; SSE the `retry:` field */
  | "page"
  /** not by itself: waits for reconnect_now() (the "all at once" storm) */
  | "hold";

/** Where and as whom a page connects. */
export interface PageTarget {
  transport: "ws" | "sse";
  ws_url: string;
  sse_url: string;
  headers: Record<string, string>;
}

/** The WebSocket delay static/chat.js gives the htmx ws extension (`wsReconnectDelay`). */
export function ws_delay(retries: number): number {
  return Math.min(2000, 300 * Math.pow(2, retries)) * (0.5 + Math.random() / 2);
}

/** The htmx sse extension's own reconnect after a failed stream (500 ms doubling, max 64 s). */
function sse_extension_delay(failures: number): number {
  return Math.min(Math.pow(2, failures), 128) * 500;
}

const CONNECT_TIMEOUT_MS = 20_000;
const CURSOR = /id="cursor" data-version="(\d+)"/g;
const SYNCED = /id="synced" data-version="(\d+)"/;

function last_cursor(text: string): number | null {
  let found: number | null = null;
  for (const match of text.matchAll(CURSOR)) found = Number(match[1]);
  return found;
}

/** One page. Times are performance.now() milliseconds. */
export class Page {
  /** The room version the page has applied (its #cursor), null before the first one. */
  cursor: number | null = null;
  /** SSE: the last event id seen (the browser's Last-Event-ID), and the retry field. */
  last_event_id: string | null = null;
  retry_ms = 1000;
  /** Per message index: how many frames carried it, and (when kept) when it first came. */
  readonly counts: Uint8Array;
  readonly first_at: Float64Array | null;
  duplicates = 0;
  /** Connections opened, drops (server closed or failed), failed attempts (refused, 503). */
  opens = 0;
  drops = 0;
  failed_attempts = 0;
  /** The last close code / failure, for the report, and how often each ended a connection. */
  last_problem = "";
  readonly drop_reasons = new Map<string, number>();
  /** Ended for good (4403, `event: ended`): the page would stop. */
  ended = false;
  /** Time the current connection opened, and the first #synced on it (NaN until then). */
  opened_at = NaN;
  synced_at = NaN;
  /** Connections since the last mark(): the storm counts the first open and sync after it. */
  #mark_at = -Infinity;
  back_at = NaN;
  caught_up_at = NaN;
  #retries = 0;
  #ext_failures = 0;
  #socket: WebSocket | null = null;
  #abort: AbortController | null = null;
  #closing = false;
  #held: (() => void) | null = null;
  #connected_once = false;
  #synced_waiters: (() => void)[] = [];

  constructor(
    readonly id: number,
    readonly target: PageTarget,
    public mode: Reconnect,
    max_messages: number,
    keep_times: boolean,
  ) {
    this.counts = new Uint8Array(max_messages);
    this.first_at = keep_times ? new Float64Array(max_messages).fill(NaN) : null;
  }

  /** True while the connection is open (and not closed by us). */
  get is_open(): boolean {
    return !Number.isNaN(this.opened_at);
  }

  /** True once the current connection has said #synced. */
  get is_synced(): boolean {
    return !Number.isNaN(this.synced_at);
  }

  /** From now on, back_at and caught_up_at record the next open and #synced. */
  mark(at: number): void {
    this.#mark_at = at;
    this.back_at = NaN;
    this.caught_up_at = NaN;
  }

  /** Opens the first connection; resolves once it is open (throws when it cannot). */
  async start(): Promise<void> {
    const ok = await this.#connect();
    if (!ok) throw new Error(`page ${this.id}: ${this.last_problem}`);
  }

  /** Resolves once the current connection is synced, or after `ms`. */
  wait_synced(ms: number): Promise<boolean> {
    if (this.is_synced) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.#synced_waiters.push(() => (clearTimeout(timer), resolve(true)));
    });
  }

  /** "hold" mode: the page connects now (one attempt; on failure it retries as a page). */
  reconnect_now(): void {
    const wake = this.#held;
    this.#held = null;
    wake?.();
  }

  /** Closes for good (end of the run). */
  close(): void {
    this.#closing = true;
    this.#held?.();
    this.#socket?.close(1000);
    this.#abort?.abort();
  }

  #url(): string {
    const base = this.target.transport === "ws" ? this.target.ws_url : this.target.sse_url;
    if (!this.#connected_once) return base;
    // static/chat.js withCursor(): after=<#cursor>, again=1 on every reopen.
    const url = new URL(base);
    if (this.cursor !== null) url.searchParams.set("after", String(this.cursor));
    url.searchParams.set("again", "1");
    return url.toString();
  }

  #opened(now: number): void {
    this.opens++;
    this.opened_at = now;
    this.synced_at = NaN;
    this.#retries = 0;
    this.#ext_failures = 0;
    this.#connected_once = true;
    if (now >= this.#mark_at && Number.isNaN(this.back_at)) this.back_at = now;
  }

  #dropped(problem: string): void {
    this.opened_at = NaN;
    this.synced_at = NaN;
    this.drops++;
    this.last_problem = problem;
    this.drop_reasons.set(problem, (this.drop_reasons.get(problem) ?? 0) + 1);
  }

  #received(text: string): void {
    const now = performance.now();
    scan_markers(text, (index) => {
      if (index >= this.counts.length) return;
      const seen = this.counts[index];
      if (seen) this.duplicates++;
      if (seen < 255) this.counts[index] = seen + 1;
      if (!seen && this.first_at) this.first_at[index] = now;
    });
    const cursor = last_cursor(text);
    if (cursor !== null) this.cursor = cursor;
    const synced = SYNCED.exec(text);
    if (synced) {
      // A page has its #cursor from its HTML; ours learn it from the first #synced.
      if (this.cursor === null) this.cursor = Number(synced[1]);
      if (Number.isNaN(this.synced_at)) {
        this.synced_at = now;
        if (this.opened_at >= this.#mark_at && Number.isNaN(this.caught_up_at)) {
          this.caught_up_at = now;
        }
        for (const wake of this.#synced_waiters.splice(0)) wake();
      }
    }
    if (text.includes("event: ended") || text.includes("data-ended")) this.ended = true;
  }

  /** One connection attempt; true when it opened. Schedules the next one when it ends. */
  #connect(): Promise<boolean> {
    return this.target.transport === "ws" ? this.#connect_ws() : this.#connect_sse(false);
  }

  #connect_ws(): Promise<boolean> {
    return new Promise((resolve) => {
      let opened = false;
      let socket: WebSocket;
      try {
        socket = new WebSocket(this.#url(), { headers: this.target.headers });
      } catch (error) {
        this.failed_attempts++;
        this.last_problem = String(error);
        this.#after_ws_close(1006);
        return resolve(false);
      }
      this.#socket = socket;
      const timer = setTimeout(() => {
        if (!opened) socket.close();
      }, CONNECT_TIMEOUT_MS);
      socket.onopen = () => {
        opened = true;
        clearTimeout(timer);
        this.#opened(performance.now());
        resolve(true);
      };
      socket.onmessage = (event) => {
        if (typeof event.data === "string") this.#received(event.data);
      };
      socket.onerror = () => {};
      socket.onclose = (event) => {
        clearTimeout(timer);
        if (this.#socket === socket) this.#socket = null;
        if (this.#closing) return resolve(false);
        if (opened) this.#dropped(`WebSocket closed ${event.code} ${event.reason}`.trim());
        else {
          this.failed_attempts++;
          this.last_problem = `WebSocket refused (${event.code})`;
        }
        // A connection that never opened or ended without a close frame is 1006 in a
        // browser (Deno reports 0).
        this.#after_ws_close(opened && event.code ? event.code : 1006);
        resolve(opened);
      };
    });
  }

  /** The htmx ws extension retries 1006, 1011, 1012 and 1013; anything else ends the page. */
  #after_ws_close(code: number): void {
    if (this.#closing) return;
    if (![1006, 1011, 1012, 1013].includes(code)) {
      this.ended = true;
      return;
    }
    const delay = ws_delay(this.#retries);
    this.#schedule(delay, () => {
      this.#retries++;
      this.#connect_ws();
    });
  }

  #schedule(delay: number, next: () => void): void {
    if (this.mode === "hold") {
      this.#held = () => {
        if (!this.#closing) next();
      };
      return;
    }
    sleep(delay).then(() => {
      if (!this.#closing) next();
    });
  }

  /**
   * One SSE attempt. `native`: the EventSource's own reconnect (same URL as first opened,
   * Last-Event-ID); otherwise a full (re)open by the htmx sse extension (withCursor's URL).
   */
  async #connect_sse(native: boolean): Promise<boolean> {
    const abort = new AbortController();
    this.#abort = abort;
    const headers: Record<string, string> = { ...this.target.headers };
    let url = this.#url();
    if (native) {
      url = this.target.sse_url;
      if (this.last_event_id !== null) headers["last-event-id"] = this.last_event_id;
    }
    const timer = setTimeout(() => abort.abort(), CONNECT_TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: abort.signal });
    } catch (error) {
      clearTimeout(timer);
      if (this.#closing) return false;
      // A network error: the browser keeps reconnecting after the retry time.
      this.failed_attempts++;
      this.last_problem = `SSE connect failed: ${(error as Error).message.slice(0, 80)}`;
      this.#schedule(this.retry_ms, () => this.#connect_sse(true));
      return false;
    }
    clearTimeout(timer);
    const type = response.headers.get("content-type") ?? "";
    if (!response.ok || !response.body || !type.startsWith("text/event-stream")) {
      await response.body?.cancel().catch(() => {});
      // Not a stream (503 while the server stops): the EventSource fails for good and the
      // htmx extension opens a new one after its own back-off.
      this.failed_attempts++;
      this.last_problem = `SSE answered ${response.status}`;
      const delay = sse_extension_delay(this.#ext_failures++);
      this.#schedule(delay, () => this.#connect_sse(false));
      return false;
    }
    this.#opened(performance.now());
    this.#read_sse(response.body).then((problem) => {
      if (this.#closing) return;
      this.#dropped(problem);
      if (this.ended) return;
      this.#schedule(this.retry_ms, () => this.#connect_sse(true));
    });
    return true;
  }

  async #read_sse(body: ReadableStream<Uint8Array>): Promise<string> {
    const decoder = new TextDecoder();
    let buffered = "";
    try {
      for await (const chunk of body) {
        buffered += decoder.decode(chunk, { stream: true });
        let end = buffered.indexOf("\n\n");
        while (end !== -1) {
          this.#sse_event(buffered.slice(0, end));
          buffered = buffered.slice(end + 2);
          end = buffered.indexOf("\n\n");
        }
      }
      return "SSE stream ended";
    } catch (error) {
      return `SSE stream failed: ${(error as Error).message.slice(0, 80)}`;
    }
  }

  #sse_event(block: string): void {
    const data: string[] = [];
    let event = "message";
    for (const line of block.split("\n")) {
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      const field = line.slice(0, colon);
      const value = line.slice(colon + 1).replace(/^ /, "");
      if (field === "data") data.push(value);
      else if (field === "id") this.last_event_id = value;
      else if (field === "event") event = value;
      else if (field === "retry" && /^\d+$/.test(value)) this.retry_ms = Number(value);
    }
    if (event === "ended") {
      this.ended = true;
      this.close();
      return;
    }
    if (data.length) this.#received(data.join("\n"));
  }
}
