import type { Kysely } from "kysely";
import type { ChatEvent } from "../db/events.ts";
import { displayName } from "../db/presence.ts";
import { newMessageAuthor, notifyTyping } from "../db/typing.ts";
import type { Database } from "../db/schema.ts";
import { Typing } from "../views/typing.tsx";
import type { Subscriber } from "./hub.ts";
import { RateLimiter } from "./rate.ts";

/**
 * How long after a typing signal its author's message still clears the line. The stylesheet
 * fades the line after 5 s anyway; this only bounds the lookups (one per new message).
 */
const SHOWN_MS = 30_000;

/** True when a WebSocket frame is a typing signal (`{"typing": true}`) rather than a message. */
export function isTypingFrame(data: string): boolean {
  if (data.length > 100 || !data.includes('"typing"')) return false;
  try {
    const frame = JSON.parse(data);
    return frame?.typing === true && frame.body === undefined;
  } catch {
    return false;
  }
}

/**
 * "Ana is typing…" lines. A typing frame becomes a NOTIFY (membership checked in SQL);
 * every instance renders it once and pushes it to the room's local subscribers except the
 * typer. When the typer's message lands, the line is cleared for everyone.
 */
export class TypingLines {
  // At most one typing signal per person every two seconds (bursts of two), per instance.
  #limiter = new RateLimiter(0.5, 2);
  #shown = new Map<string, { userId: string; at: number }>();

  constructor(
    private db: Kysely<Database>,
    private subscribers: (roomId: string) => Iterable<Subscriber>,
  ) {}

  /** A typing frame from `userId` in `roomId`; dropped when over the rate. */
  async typed(roomId: string, userId: string) {
    if (!this.#limiter.take(`${roomId}:${userId}`)) return;
    await notifyTyping(this.db, roomId, userId)
      .catch((error) => console.error("Typing notify failed:", error));
  }

  /** A typing event from any instance. */
  async onTyping(event: Extract<ChatEvent, { k: "typing" }>) {
    const subs = [...this.subscribers(event.r)];
    if (!subs.some((s) => s.userId !== event.u)) return;
    const name = await displayName(this.db, event.u);
    if (!name) return;
    this.#shown.set(event.r, { userId: event.u, at: Date.now() });
    const html = String(<Typing name={name} oob />);
    for (const sub of subs) if (sub.userId !== event.u) sub.notice(html);
  }

  /** A room change: if it is the shown typer's new message, the typing line goes. */
  async onRoom(event: Extract<ChatEvent, { k: "room" }>) {
    const shown = this.#shown.get(event.r);
    if (!shown) return;
    if (Date.now() - shown.at > SHOWN_MS) return void this.#shown.delete(event.r);
    const author = await newMessageAuthor(this.db, event.r, event.v);
    if (author !== shown.userId || this.#shown.get(event.r) !== shown) return;
    this.#shown.delete(event.r);
    const html = String(<Typing oob />);
    for (const sub of this.subscribers(event.r)) sub.notice(html);
  }
}
