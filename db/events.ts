import { sql } from "kysely";

/** The one LISTEN/NOTIFY channel every instance listens on. */
export const CHANNEL = "chat";

/**
 * What crosses instances. Payloads carry ids and versions only, never bodies
 * (NOTIFY stops at 8000 bytes); the tables are the truth.
 */
export type ChatEvent =
  /** Room r changed up to version v; a: the author, when the change is a new message. */
  | { k: "room"; r: string; v: number; a?: string }
  // Something in user u's inbox changed; m: the message that caused it (a notice), if any.
  | { k: "user"; u: string; m?: string }
  | { k: "hb"; i: string }
  /** A person's first connection to a room opened (on) or their last one closed (off). */
  | { k: "presence"; r: string; u: string; on: boolean }
  | { k: "typing"; r: string; u: string }
  /** A user's access changed: deactivated (no r) or removed from room r; close their streams. */
  | { k: "access"; u: string; r?: string }
  /**
   * Sessions of user u ended: session s (a token hash) only, or, without s, every one but
   * `keep`; why: signed out, or the password changed. Their live connections close.
   */
  | { k: "session"; u: string; s?: string; keep?: string; why: SessionEnd };

/** Why sessions ended (the page says so when their live connections close). */
export type SessionEnd = "signout" | "password";

/** SQL expression that queues an event; it is delivered when the transaction commits. */
export function notifyEvent(event: ChatEvent) {
  return sql`pg_notify(${CHANNEL}, ${JSON.stringify(event)})`;
}

/** Parses a payload; unknown or malformed payloads give null so one bad event cannot stop the listener. */
export function parseEvent(payload: string): ChatEvent | null {
  try {
    const event = JSON.parse(payload);
    return typeof event?.k === "string" ? event as ChatEvent : null;
  } catch {
    return null;
  }
}
