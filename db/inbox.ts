import { type Kysely, sql } from "kysely";
import { notifyEvent } from "./events.ts";
import { mayRead, readableRoomIds } from "./read_rule.ts";
import type { Database } from "./schema.ts";

/** Unread direct messages plus unread mentions: the number on the header badge. */
export async function unreadCount(db: Kysely<Database>, userId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select (select count(*)::int from memberships mb
        join rooms r on r.id = mb.room_id and r.kind = 'direct'
        join users me on me.id = mb.user_id
        join messages g on g.room_id = r.id and g.seq > mb.last_read_version
          and g.author_id <> ${userId} and g.deleted_at is null
        where mb.user_id = ${userId} and ${mayRead("r", "me")})
      + (select count(*)::int from mentions x join messages g on g.id = x.message_id
        where x.user_id = ${userId} and x.read_at is null and g.deleted_at is null
          and x.room_id in ${readableRoomIds(userId)}) as n`
    .execute(db);
  return rows[0]?.n ?? 0;
}

/** One direct conversation in the inbox. */
export interface Conversation {
  username: string;
  display_name: string;
  body: string;
  author: string;
  created_at: Date;
  deleted: boolean;
  unread: number;
}

/** The person's direct conversations with their last message, newest first. */
export async function listConversations(
  db: Kysely<Database>,
  userId: string,
  limit = 50,
): Promise<Conversation[]> {
  const { rows } = await sql<Conversation>`
    select o.username, o.display_name, last.body, a.display_name as author, last.created_at,
      last.deleted_at is not null as deleted,
      (select count(*)::int from messages g where g.room_id = r.id
        and g.seq > mine.last_read_version and g.author_id <> ${userId}
        and g.deleted_at is null) as unread
    from memberships mine
    join rooms r on r.id = mine.room_id and r.kind = 'direct'
    join memberships theirs on theirs.room_id = r.id and theirs.user_id <> ${userId}
    join users o on o.id = theirs.user_id
    join lateral (select * from messages m where m.room_id = r.id
      order by m.seq desc limit 1) last on true
    join users a on a.id = last.author_id
    join users me on me.id = mine.user_id
    where mine.user_id = ${userId} and ${mayRead("r", "me")}
    order by last.seq desc, last.created_at desc limit ${limit}`.execute(db);
  return rows;
}

/** One mention in the inbox. */
export interface MentionItem {
  message_id: string;
  room_slug: string;
  room_name: string;
  author: string;
  body: string;
  created_at: Date;
  unread: boolean;
}

/**
 * Messages that mention the person, newest first, in rooms they may still read (the read
 * rule); deleted ones are left out.
 */
export async function listMentions(
  db: Kysely<Database>,
  userId: string,
  limit = 50,
): Promise<MentionItem[]> {
  return await db.selectFrom("mentions as x")
    .innerJoin("messages as g", "g.id", "x.message_id")
    .innerJoin("rooms as r", "r.id", "x.room_id")
    .innerJoin("users as a", "a.id", "g.author_id")
    .select([
      "x.message_id",
      "r.slug as room_slug",
      "r.name as room_name",
      "a.display_name as author",
      "g.body",
      "g.created_at",
      sql<boolean>`x.read_at is null`.as("unread"),
    ])
    .where("x.user_id", "=", userId).where("g.deleted_at", "is", null)
    .where(sql<boolean>`x.room_id in ${readableRoomIds(userId)}`)
    .orderBy("x.message_id", "desc").limit(limit).execute();
}

/**
 * Marks a room read up to `version` (default: all of it) with its mentions, in one
 * transaction that tells the person's other pages (their badge) when anything changed.
 */
export async function markRoomRead(
  db: Kysely<Database>,
  input: { roomId: string; userId: string; version?: number },
) {
  const upTo = input.version ?? 2147483647;
  await sql`
    with room_read as (
      update memberships set last_read_version = least(r.version, ${upTo}::int) from rooms r
      where r.id = ${input.roomId} and memberships.room_id = r.id
        and memberships.user_id = ${input.userId}
        and memberships.last_read_version < least(r.version, ${upTo}::int)
      returning 1
    ), mentions_read as (
      update mentions set read_at = now() from messages g
      where mentions.room_id = ${input.roomId} and mentions.user_id = ${input.userId}
        and mentions.read_at is null and g.id = mentions.message_id
        and g.seq <= ${upTo}::int
      returning 1
    )
    select ${notifyEvent({ k: "user", u: input.userId })}
    where exists (select 1 from room_read) or exists (select 1 from mentions_read)`
    .execute(db);
}

/**
 * The inbox badge (unreadCount) of many people in one query, for the pages of a whole room
 * reconnecting at once. Same rule as unreadCount, per person.
 */
export async function unreadCounts(
  db: Kysely<Database>,
  userIds: string[],
): Promise<Map<string, number>> {
  if (!userIds.length) return new Map();
  const { rows } = await sql<{ id: string; n: number }>`
    select me.id, (select count(*)::int from memberships mb
        join rooms r on r.id = mb.room_id and r.kind = 'direct'
        join messages g on g.room_id = r.id and g.seq > mb.last_read_version
          and g.author_id <> me.id and g.deleted_at is null
        where mb.user_id = me.id and ${mayRead("r", "me")})
      + (select count(*)::int from mentions x join messages g on g.id = x.message_id
        join rooms rr on rr.id = x.room_id
        where x.user_id = me.id and x.read_at is null and g.deleted_at is null
          and ${mayRead("rr", "me")}) as n
    from users me where me.id in (select jsonb_array_elements_text(${
    JSON.stringify(userIds)
  }::jsonb))`
    .execute(db);
  return new Map(rows.map((row) => [row.id, row.n]));
}
