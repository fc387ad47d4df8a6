// Public archives: an open room's history, published by an admin, readable without a session.
// publicRoom is the one check every public path (pages, feed) asks; it reads the current
// room row, so a room that became private or admins-only is not public, whatever its flag.
import { type Kysely, sql } from "kysely";
import type { Database, Room } from "./schema.ts";

/** Why a room's history cannot be public, or null when it may be (the admin panel says why). */
export function publicRefusal(room: Room): string | null {
  if (room.kind !== "open") return `#${room.slug} is ${room.kind}: only open rooms can be public`;
  if (room.admins_only) return `#${room.slug} is admin-only: only open rooms can be public`;
  if (room.read_access !== "all") return `#${room.slug} is read by admins only`;
  if (!room.guests_allowed) return `#${room.slug} refuses guests, so it cannot be public`;
  return null;
}

/** The room by slug when its history is public now; null for every other room (and no room). */
export async function publicRoom(db: Kysely<Database>, slug: string): Promise<Room | null> {
  const room = await db.selectFrom("rooms").selectAll().where("slug", "=", slug)
    .executeTakeFirst();
  return room?.public_archive && !publicRefusal(room) ? room : null;
}

/** One message as an archive page or feed shows it (deleted ones are never read). */
export interface ArchivedMessage {
  id: string;
  seq: number;
  body: string;
  username: string;
  display_name: string;
  created_at: Date;
  edited_at: Date | null;
}

/** A day (UTC, `YYYY-MM-DD`) that has messages, with how many. */
export interface ArchiveDay {
  day: string;
  count: number;
}

/** The most messages one day's page shows (a day past it says so). */
export const DAY_LIMIT = 5000;

const UTC_DAY = sql<string>`to_char(g.created_at at time zone 'UTC', 'YYYY-MM-DD')`;
const dayStart = (day: string) => sql`((${day}::date)::timestamp at time zone 'UTC')`;
const dayEnd = (day: string) => sql`((${day}::date + 1)::timestamp at time zone 'UTC')`;

function messages(db: Kysely<Database>, roomId: string) {
  return db.selectFrom("messages as g").innerJoin("users as a", "a.id", "g.author_id")
    .select(["g.id", "g.seq", "g.body", "a.username", "a.display_name", "g.created_at"])
    .select("g.edited_at")
    .where("g.room_id", "=", roomId).where("g.deleted_at", "is", null);
}

/** Days with messages, newest first, before `before` (a day) when given. */
export async function archiveDays(
  db: Kysely<Database>,
  roomId: string,
  options: { before: string | null; limit: number },
): Promise<ArchiveDay[]> {
  const before = options.before ? sql`and g.created_at < ${dayStart(options.before)}` : sql``;
  const { rows } = await sql<ArchiveDay>`select ${UTC_DAY} as day, count(*)::int as count
    from messages g where g.room_id = ${roomId} and g.deleted_at is null ${before}
    group by 1 order by 1 desc limit ${options.limit}`.execute(db);
  return rows;
}

/** One UTC day's messages, in the room's order. */
export async function archiveDay(db: Kysely<Database>, roomId: string, day: string) {
  return await messages(db, roomId)
    .where(sql<boolean>`g.created_at >= ${dayStart(day)} and g.created_at < ${dayEnd(day)}`)
    .orderBy("g.seq").limit(DAY_LIMIT).execute() as ArchivedMessage[];
}

/** The nearest earlier and later days with messages (null at either end). */
export async function neighbourDays(db: Kysely<Database>, roomId: string, day: string) {
  const { rows } = await sql<{ prev: string | null; next: string | null }>`select
    (select ${UTC_DAY} from messages g where g.room_id = ${roomId} and g.deleted_at is null
      and g.created_at < ${dayStart(day)} order by g.created_at desc limit 1) as prev,
    (select ${UTC_DAY} from messages g where g.room_id = ${roomId} and g.deleted_at is null
      and g.created_at >= ${dayEnd(day)} order by g.created_at limit 1) as next`.execute(db);
  return rows[0];
}

/** The room's newest messages, newest first (its Atom feed). */
export async function latestMessages(db: Kysely<Database>, roomId: string, limit = 50) {
  return await messages(db, roomId).orderBy("g.seq", "desc").limit(limit)
    .execute() as ArchivedMessage[];
}
