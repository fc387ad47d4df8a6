// The one read rule: whether a person may read a room. Every path that shows room content
// (pages, history, permalinks, revisions, reactions, both streams, search, mentions, the
// inbox, notices, room lists and counts, sends, and the admin queries that close streams)
// asks it here, in SQL, so there is no second copy to drift. routes/access.ts words it.
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database, Room } from "./schema.ts";

/** Why a person may not read a room; the rule gives null when they may. */
export type ReadRefusal =
  /** The account is deactivated: it reads nothing. */
  | "inactive"
  /** Guests are switched off for the whole chat, and this is a guest. */
  | "guests_off"
  /** A direct conversation the person is not part of: for them it does not exist. */
  | "hidden"
  /** The room is read by admins only. */
  | "admins"
  /** The room refuses guests, and this is a guest. */
  | "no_guests"
  /** A private room the person is not a member of. */
  | "private";

/**
 * The rule, as a SQL expression over a `rooms` row and a `users` row in scope under the given
 * aliases: the refusal, or null when the person may read the room. In order: deactivated
 * accounts read nothing; guests read nothing while guests are off (but for those let in by an
 * invitation link, db/invitations.ts); a direct conversation is
 * its two members' only; rooms read by admins only refuse everyone else; rooms that refuse
 * guests refuse them; a private room is its members'; an open room is everyone's. Archiving
 * changes nobody's reading (an archived room's history stays readable; nobody may post).
 */
export function readRefusalOf(room: string, user: string): RawBuilder<ReadRefusal | null> {
  const r = (column: string) => sql.ref(`${room}.${column}`);
  const u = (column: string) => sql.ref(`${user}.${column}`);
  const member = sql`exists (select 1 from memberships rule_m
    where rule_m.room_id = ${r("id")} and rule_m.user_id = ${u("id")})`;
  const guestsOn = sql`coalesce((select guests_enabled from settings where id = 1), true)`;
  return sql<ReadRefusal | null>`(case
    when ${u("deactivated_at")} is not null then 'inactive'
    when ${u("role")} = 'guest' and ${u("invitation_id")} is null and not ${guestsOn}
      then 'guests_off'
    when ${r("kind")} = 'direct' then case when ${member} then null else 'hidden' end
    when ${r("read_access")} = 'admins' and ${u("role")} <> 'admin' then 'admins'
    when ${u("role")} = 'guest' and not ${r("guests_allowed")} then 'no_guests'
    when ${r("kind")} = 'private' and not ${member} then 'private'
  end)`;
}

/** True when the person (users row `user`) may read the room (rooms row `room`): see readRefusalOf. */
export function mayRead(room: string, user: string): RawBuilder<boolean> {
  return sql<boolean>`(${readRefusalOf(room, user)} is null)`;
}

/** The ids of the rooms a person may read, as a subquery (`room_id in (…)`). */
export function readableRoomIds(userId: string): RawBuilder<string> {
  return sql<string>`(select rr.id from rooms rr join users ru on ru.id = ${userId}
    where ${mayRead("rr", "ru")})`;
}

/** A room as one person finds it: the row, whether they may read it, and their membership. */
export interface RoomForReader {
  room: Room;
  refusal: ReadRefusal | null;
  member: boolean;
}

/** Loads a room (by slug or id) and applies the read rule for one person, in one query. */
export async function roomForReader(
  db: Kysely<Database>,
  where: { slug: string } | { id: string },
  userId: string,
): Promise<RoomForReader | null> {
  const match = "slug" in where ? sql`r.slug = ${where.slug}` : sql`r.id = ${where.id}`;
  const { rows } = await sql<Room & { refusal: ReadRefusal | null; member: boolean }>`
    select r.*, ${readRefusalOf("r", "u")} as refusal, exists (select 1 from memberships m
      where m.room_id = r.id and m.user_id = u.id) as member
    from rooms r join users u on u.id = ${userId}
    where ${match}`.execute(db);
  if (!rows[0]) return null;
  const { refusal, member, ...room } = rows[0];
  return { room, refusal, member };
}

/** roomForReader for many (slug, person) pairs in one query; keyed by readerKey. */
export async function roomsForReaders(
  db: Kysely<Database>,
  pairs: { slug: string; userId: string }[],
): Promise<Map<string, RoomForReader>> {
  if (!pairs.length) return new Map();
  const wanted = JSON.stringify(pairs.map((p) => ({ s: p.slug, u: p.userId })));
  const { rows } = await sql<
    Room & { refusal: ReadRefusal | null; member: boolean; want_slug: string; want_user: string }
  >`
    select x.s as want_slug, x.u as want_user, r.*, ${readRefusalOf("r", "u")} as refusal,
      exists (select 1 from memberships m where m.room_id = r.id and m.user_id = u.id) as member
    from jsonb_to_recordset(${wanted}::jsonb) as x(s text, u text)
    join rooms r on r.slug = x.s
    join users u on u.id = x.u`.execute(db);
  return new Map(rows.map(({ want_slug, want_user, refusal, member, ...room }) => [
    readerKey(want_slug, want_user),
    { room, refusal, member },
  ]));
}

/** The key of one (slug, person) pair in roomsForReaders's answer. */
export function readerKey(slug: string, userId: string): string {
  return `${slug}\u0000${userId}`;
}
