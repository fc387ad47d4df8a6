import type { Context } from "hono";
import type { Kysely } from "kysely";
import {
  readerKey,
  type ReadRefusal,
  type RoomForReader,
  roomForReader,
  roomsForReaders,
} from "../db/read_rule.ts";
import { Batched } from "../live/batched.ts";
import { joinRoom } from "../db/rooms.ts";
import type { Database, Room, User } from "../db/schema.ts";

/** Why a person may not read a room. */
export type Refusal = { status: 403 | 404; reason: string };

/** What each refusal of the read rule (db/read_rule.ts) tells the person. */
const REASONS: Record<Exclude<ReadRefusal, "hidden">, (slug: string) => string> = {
  inactive: () => "Your account was deactivated",
  guests_off: () => "Guests are not allowed here any more",
  admins: (slug) => `Only admins can read #${slug}`,
  no_guests: (slug) => `Guests cannot enter #${slug}: sign up to join it`,
  private: (slug) => `#${slug} is private: ask a member to invite you`,
};

/** The refusal a person gets for a room the read rule keeps from them. */
export function readRefusalFor(refusal: ReadRefusal, slug: string): Refusal {
  if (refusal === "hidden") return { status: 404, reason: `There is no room #${slug}` };
  return { status: 403, reason: REASONS[refusal](slug) };
}

/**
 * The room check for pages, posts, WebSocket and SSE: the read rule (db/read_rule.ts), and
 * entering an open room the person is not in yet joins them (unless it is archived).
 */
export async function enterRoom(
  db: Kysely<Database>,
  slug: string,
  user: User,
  find: RoomFinder = (slug, userId) => roomForReader(db, { slug }, userId),
): Promise<Room | Refusal> {
  const found = await find(slug, user.id);
  if (!found) return { status: 404, reason: `There is no room #${slug.slice(0, 64)}` };
  const { room, refusal, member } = found;
  if (refusal) return readRefusalFor(refusal, room.slug);
  if (room.kind === "open" && !member && !room.archived_at) await joinRoom(db, room.id, user.id);
  return room;
}

/** How enterRoom finds a room for a person (one query each, or shared: roomFinder). */
export type RoomFinder = (slug: string, userId: string) => Promise<RoomForReader | null>;

/**
 * A finder for the live endpoints: rooms looked up while a lookup is in flight share the next
 * query, so a restart's thousands of reconnecting pages cost one read-rule query per round.
 */
export function roomFinder(db: Kysely<Database>): RoomFinder {
  const rooms = new Batched(async (keys: string[]) => {
    const pairs = keys.map((key) => {
      const [slug, userId] = key.split("\u0000");
      return { slug, userId };
    });
    return await roomsForReaders(db, pairs);
  }, null as RoomForReader | null);
  return (slug, userId) => rooms.get(readerKey(slug, userId));
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
