import type { Kysely } from "kysely";
import type { ChatEvent } from "../db/events.ts";
import { displayName } from "../db/presence.ts";
import { newMessageAuthor, notifyTyping } from "../db/typing.ts";
import type { Database } from "../db/schema.ts";
import { Typing } from "../views/typing.tsx";
import type { Subscriber } from "./hub.ts";
import { RateLimiter } from "./rate.ts";
import { log } from "../log.ts";

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
  /** Per room, who typed lately (oldest first) and when: the typing lines pages show. */
  #shown = new Map<string, Map<string, number>>();

  constructor(
    private db: Kysely<Database>,
    private subscribers: (roomId: string) => Iterable<Subscriber>,
  ) {}

  /** A typing frame from `userId` in `roomId`; dropped when over the rate. */
  async typed(roomId: string, userId: string) {
    if (!this.#limiter.take(`${roomId}:${userId}`)) return;
    await notifyTyping(this.db, roomId, userId)
      .catch((error) => log.error("Typing notify failed", { error }));
  }

  /** A typing event from any instance. */
  async onTyping(event: Extract<ChatEvent, { k: "typing" }>) {
    const subs = [...this.subscribers(event.r)];
    if (!subs.some((s) => s.userId !== event.u)) return;
    const name = await displayName(this.db, event.u);
    if (!name) return;
    const typers = this.#shown.get(event.r) ?? new Map<string, number>();
    typers.delete(event.u);
    this.#shown.set(event.r, typers.set(event.u, Date.now()));
    const html = String(<Typing name={name} oob />);
    for (const sub of subs) if (sub.userId !== event.u) sub.notice(html);
  }

  /**
   * A room change: if it is a shown typer's new message, their typing line goes from the
   * pages that show it (each page shows the latest typer other than its reader).
   */
  async onRoom(event: Extract<ChatEvent, { k: "room" }>) {
    const typers = this.#shown.get(event.r);
    if (!typers) return;
    for (const [userId, at] of typers) if (Date.now() - at > SHOWN_MS) typers.delete(userId);
    if (!typers.size) return void this.#shown.delete(event.r);
    const author = await newMessageAuthor(this.db, event.r, event.v);
    if (!author || !typers.has(author)) return;
    const html = String(<Typing oob />);
    for (const sub of this.subscribers(event.r)) {
      if (latestOther(typers, sub.userId) === author) sub.notice(html);
    }
    typers.delete(author);
  }
}

/** The latest typer who is not `reader` (the one whose line `reader`'s page shows). */
function latestOther(typers: Map<string, number>, reader: string): string | null {
  let latest: string | null = null;
  for (const userId of typers.keys()) if (userId !== reader) latest = userId;
  return latest;
}
