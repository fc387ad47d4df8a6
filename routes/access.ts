import type { Context } from "hono";
import type { Kysely } from "kysely";
import { findRoom, isMember, joinRoom } from "../db/rooms.ts";
import type { Database, Room, User } from "../db/schema.ts";
import { readRefusal } from "./room_rules.ts";

/** Why a person may not read a room. */
export type Refusal = { status: 403 | 404; reason: string };

/**
 * The one read check for pages, posts, WebSocket and SSE: open rooms let any signed-in
 * person in (and entering joins them), other rooms only their members; rooms read by admins
 * only refuse everyone else, and guests enter only where guests are allowed.
 */
export async function enterRoom(
  db: Kysely<Database>,
  slug: string,
  user: User,
): Promise<Room | Refusal> {
  const room = await findRoom(db, slug);
  if (!room || room.kind === "direct" && !(await isMember(db, room.id, user.id))) {
    return { status: 404, reason: `There is no room #${slug}` };
  }
  const barred = await readRefusal(db, room, user);
  if (barred) return { status: 403, reason: barred };
  if (room.kind === "open") {
    if (!room.archived_at) await joinRoom(db, room.id, user.id);
    return room;
  }
  if (await isMember(db, room.id, user.id)) return room;
  return { status: 403, reason: `#${slug} is private: ask a member to invite you` };
}

/** True when enterRoom refused. */
export function refused(result: Room | Refusal): result is Refusal {
  return "reason" in result;
}

/** A plain-text refusal response. */
export function refusal(c: Context, result: Refusal) {
  return c.text(result.reason, result.status);
}

/** Parses a non-negative whole number (a cursor or seq); null when absent or malformed. */
export function wholeNumber(value: string | undefined | null): number | null {
  if (!value || !/^\d{1,10}$/.test(value)) return null;
  return Number(value);
}

/** The room rows live connections (WebSocket and SSE) hold, one per room while it is unchanged. */
const rooms = new Map<string, WeakRef<Room>>();

/**
 * The row a live connection keeps: the same object as the room's other connections when
 * nothing in it changed (a room with thousands of connections would hold thousands of copies).
 */
export function sharedRoom(room: Room): Room {
  const known = rooms.get(room.id)?.deref();
  if (known && JSON.stringify(known) === JSON.stringify(room)) return known;
  rooms.set(room.id, new WeakRef(room));
  return room;
}
