import { type Expression, isExpression, type RawBuilder, sql } from "kysely";

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

/**
 * An event whose fields may be SQL expressions (columns of the rows that cause it), typed by
 * ChatEvent, so one statement can queue an event per row with the keys written only here.
 */
export type EventShape<E extends ChatEvent = ChatEvent> = E extends ChatEvent
  ? { [F in keyof E]: F extends "k" ? E[F] : E[F] | Expression<E[F]> }
  : never;

/** Postgres cannot type a bare parameter inside json_build_object, so each value says its type. */
function sqlValue(value: unknown): Expression<unknown> {
  if (isExpression(value)) return value;
  if (typeof value === "number") return sql`${value}::numeric`;
  if (typeof value === "boolean") return sql`${value}::boolean`;
  return sql`${String(value)}::text`;
}

/**
 * SQL text of an event's payload: JSON.stringify when every field is a value, else
 * json_build_object over the same keys. Ids and versions only, so far under NOTIFY's 8000 bytes.
 */
export function eventPayload(event: EventShape): RawBuilder<string> {
  const fields = Object.entries(event).filter(([, value]) => value !== undefined);
  if (!fields.some(([, value]) => isExpression(value))) return sql`${JSON.stringify(event)}`;
  const pairs = fields.map(([key, value]) => sql`${sql.lit(key)}, ${sqlValue(value)}`);
  return sql`json_build_object(${sql.join(pairs)})::text`;
}

/**
 * SQL expression that queues an event; it is delivered when the transaction commits. With
 * column expressions in `event`, select it from the rows to queue one event per row.
 */
export function notifyEvent(event: EventShape) {
  return sql`pg_notify(${CHANNEL}, ${eventPayload(event)})`;
}

/**
 * Queues, per row of `memberships m`, an access event for that member and room: their live
 * connections to the room re-check the read rule and close if it now refuses them.
 */
export function notifyMemberAccess() {
  return notifyEvent({
    k: "access",
    u: sql.ref<string>("m.user_id"),
    r: sql.ref<string>("m.room_id"),
  });
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
