// Public archives: an open room's history, published by an admin, readable without a session.
// publicRoom is the one check every public path (pages, feed) asks; it reads the current
// room row, so a room that became private or admins-only is not public, whatever its flag.
import { type Kysely, type RawBuilder, sql } from "kysely";
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

/**
 * Days with messages, newest first, before `before` (a day) when given. It walks the
 * (room_id, created_at) index from day to day (each step one index probe for the latest
 * message before the day found last) and counts only the days it returns, so a room with years
 * of history costs `limit` short reads, not a pass over every message.
 */
export async function archiveDays(
  db: Kysely<Database>,
  roomId: string,
  options: { before: string | null; limit: number },
): Promise<ArchiveDay[]> {
  const start = options.before ? dayStart(options.before) : sql`'infinity'::timestamptz`;
  const latestBefore = (bound: RawBuilder<unknown>) =>
    sql`(select (max(g.created_at) at time zone 'UTC')::date from messages g
      where g.room_id = ${roomId} and g.deleted_at is null and g.created_at < ${bound})`;
  const { rows } = await sql<ArchiveDay>`with recursive walk(day, n) as (
      select ${latestBefore(start)}, 1
      union all
      select ${latestBefore(sql`(walk.day::timestamp at time zone 'UTC')`)}, walk.n + 1
      from walk where walk.day is not null and walk.n < ${options.limit}
    )
    select to_char(walk.day, 'YYYY-MM-DD') as day, (select count(*)::int from messages g
      where g.room_id = ${roomId} and g.deleted_at is null
        and g.created_at >= (walk.day::timestamp at time zone 'UTC')
        and g.created_at < ((walk.day + 1)::timestamp at time zone 'UTC')) as count
    from walk where walk.day is not null order by walk.day desc`.execute(db);
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
