// The person who sends (bench/storm.ts, bench/soak.ts): one room WebSocket; every message a
// JSON frame with its own client_id. The server answers each frame on this socket with
// `<div id="pending-<client_id>" hx-swap-oob="delete">` (stored) plus, when refused, the
// composer with the reason. Unanswered frames are sent again (same client_id) after a
// reconnect, as static/chat.js's outbox does; refused ones are counted, not retried.
import { make_body } from "./markers.ts";
import { ws_delay } from "./storm_page.ts";
import { sleep } from "./timing.ts";

const PENDING = /id="pending-s(\d+)"/;

/** One sender. Message indices are the bench's marker indices; the client_id is `s<index>`. */
export class StormSender {
  /** index → time acknowledged (performance.now() ms). */
  readonly acked = new Map<number, number>();
  /** index → reason. */
  readonly refused = new Map<number, string>();
  /** index → the frame, sent and not answered yet, in send order. */
  readonly #unanswered = new Map<number, string>();
  readonly sent_at = new Map<number, number>();
  resent = 0;
  drops = 0;
  #socket: WebSocket | null = null;
  #closing = false;
  #retries = 0;
  #waiters: (() => void)[] = [];

  constructor(readonly url: string, readonly headers: Record<string, string>) {}

  get is_open(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  get unanswered(): number {
    return this.#unanswered.size;
  }

  /** Connects (retrying every `every_ms` until `ms` pass); resolves once open. */
  async open(ms = 30_000, every_ms = 20): Promise<void> {
    const end = performance.now() + ms;
    while (!this.#closing) {
      if (await this.#try_open()) return;
      if (performance.now() > end) throw new Error(`sender could not connect to ${this.url}`);
      await sleep(every_ms);
    }
  }

  #try_open(): Promise<boolean> {
    return new Promise((resolve) => {
      let opened = false;
      const url = new URL(this.url);
      url.searchParams.set("again", "1");
      const socket = new WebSocket(url.toString(), { headers: this.headers });
      socket.onopen = () => {
        opened = true;
        this.#socket = socket;
        this.#retries = 0;
        // The outbox: what was sent and never answered goes again, same client_id.
        for (const frame of this.#unanswered.values()) (socket.send(frame), this.resent++);
        resolve(true);
      };
      socket.onmessage = (event) => {
        if (typeof event.data === "string") this.#on_text(event.data);
      };
      socket.onerror = () => {};
      socket.onclose = () => {
        if (this.#socket === socket) this.#socket = null;
        if (!opened) return resolve(false);
        if (this.#closing) return;
        this.drops++;
        this.#reconnect();
      };
    });
  }

  async #reconnect(): Promise<void> {
    while (!this.#closing) {
      await sleep(ws_delay(this.#retries++));
      if (this.#closing || await this.#try_open()) return;
    }
  }

  /** Sends message `index` (kept for a resend until answered). */
  send(index: number): void {
    const now = performance.now();
    const frame = JSON.stringify({
      body: make_body(index, Math.round(now * 1000)),
      client_id: `s${index}`,
    });
    this.sent_at.set(index, now);
    this.#unanswered.set(index, frame);
    if (this.is_open) this.#socket!.send(frame);
  }

  /** Resolves when nothing is unanswered, or after `ms`; true when all were answered. */
  async settle(ms: number): Promise<boolean> {
    const end = performance.now() + ms;
    while (this.#unanswered.size) {
      const left = end - performance.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.#waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
    return true;
  }

  close(): void {
    this.#closing = true;
    this.#socket?.close(1000);
  }

  #on_text(text: string): void {
    const match = PENDING.exec(text);
    if (!match) return;
    const index = Number(match[1]);
    if (!this.#unanswered.delete(index)) return;
    if (text.includes('id="composer"')) {
      const reason = /id="composer-error"[^>]*>([^<]*)</.exec(text)?.[1]?.trim();
      this.refused.set(index, reason || "refused");
    } else {
      this.acked.set(index, performance.now());
    }
    for (const wake of this.#waiters.splice(0)) wake();
  }
}
