import { type Expression, type ExpressionBuilder, type Kysely, sql, type SqlBool } from "kysely";
import { notifyEvent } from "./events.ts";
import { changePresence } from "./presence_counts.ts";
import type { Database } from "./schema.ts";

/** One person's connections to one room on one instance: the presence row's key. */
export interface PresenceKey {
  roomId: string;
  userId: string;
  instanceId: string;
}

/** A person shown as online. */
export interface OnlineUser {
  id: string;
  username: string;
  display_name: string;
}

/** Who is online in a room: the first MAX_ONLINE by name, and how many in all. */
export interface OnlineNow {
  users: OnlineUser[];
  total: number;
}

/** The most people one online list names (it is pushed to everyone in the room). */
export const MAX_ONLINE = 50;

// Serializes every change to one person's presence in one room, across instances, so the
// 0→1 and 1→0 transitions are each decided (and notified) exactly once. changePresence
// (db/presence_counts.ts) takes the same locks, many at once.
async function lockPerson(trx: Kysely<Database>, roomId: string, userId: string) {
  await sql`select pg_advisory_xact_lock(hashtext(${roomId}), hashtext(${userId}))`.execute(trx);
}

async function total(trx: Kysely<Database>, roomId: string, userId: string): Promise<number> {
  const row = await trx.selectFrom("presence")
    .select(sql<number>`coalesce(sum(connections), 0)::int`.as("n"))
    .where("room_id", "=", roomId).where("user_id", "=", userId).executeTakeFirst();
  return row?.n ?? 0;
}

async function announce(trx: Kysely<Database>, roomId: string, userId: string, on: boolean) {
  await sql`select ${notifyEvent({ k: "presence", r: roomId, u: userId, on })}`.execute(trx);
}

/**
 * This instance's heartbeat: one row, however many people it holds online. Their presence
 * rows stay current for as long as it beats (see sweepStale).
 */
export async function refresh(db: Kysely<Database>, instanceId: string) {
  await db.insertInto("instances").values({ id: instanceId })
    .onConflict((oc) => oc.column("id").doUpdateSet({ seen_at: sql`now()` })).execute();
}

type Condition = Expression<SqlBool>;

// Deletes the rows matching `which`, one person at a time under their lock, and announces
// each person whose last row went. Several instances may run this at once: the lock and
// the re-check inside it make each leave happen once.
async function removeWhere(db: Kysely<Database>, which: () => Condition): Promise<number> {
  const pairs = await db.selectFrom("presence").select(["room_id", "user_id"]).distinct()
    .where(which()).execute();
  let left = 0;
  for (const { room_id, user_id } of pairs) {
    left += await db.transaction().execute(async (trx) => {
      await lockPerson(trx, room_id, user_id);
      const gone = await trx.deleteFrom("presence").where("room_id", "=", room_id)
        .where("user_id", "=", user_id).where(which()).returning("room_id").execute();
      if (!gone.length || await total(trx, room_id, user_id) > 0) return 0;
      await announce(trx, room_id, user_id, false);
      return 1;
    });
  }
  return left;
}

/**
 * Removes the presence rows of instances that stopped beating `staleMs` ago (they died
 * without a goodbye), announcing who left, and then those instances' own rows. A row younger
 * than `staleMs` always stays: its instance may not have beaten for the first time yet.
 */
export async function sweepStale(db: Kysely<Database>, staleMs: number): Promise<number> {
  const limit = sql`now() - ${Math.round(staleMs)}::int * interval '1 millisecond'`;
  const left = await removeWhere(
    db,
    () =>
      sql<SqlBool>`presence.seen_at < ${limit} and not exists (select 1 from instances
        where instances.id = presence.instance_id and instances.seen_at >= ${limit})`,
  );
  await db.deleteFrom("instances").where(sql<SqlBool>`seen_at < ${limit}`)
    .where(({ not, exists, selectFrom }) =>
      not(exists(
        selectFrom("presence").select("room_id").whereRef(
          "presence.instance_id",
          "=",
          "instances.id",
        ),
      ))
    ).execute();
  return left;
}

/** Removes every row of an instance that is shutting down, announcing who left. */
export async function removeInstance(db: Kysely<Database>, instanceId: string) {
  // One transaction for everyone here (a busy instance holds thousands of people, and it has
  // a few seconds to stop): each row counts down by all its connections.
  const rows = await db.selectFrom("presence").select(["room_id", "user_id", "connections"])
    .where("instance_id", "=", instanceId).execute();
  const changes = rows.map((r) => ({
    roomId: r.room_id,
    userId: r.user_id,
    delta: -r.connections,
  }));
  const turned = await changePresence(db, instanceId, changes);
  await db.deleteFrom("instances").where("id", "=", instanceId).execute();
  return [...turned.values()].filter((on) => !on).length;
}

/** Who is online in a room, by display name. */
export async function onlineIn(db: Kysely<Database>, roomId: string): Promise<OnlineNow> {
  const inRoom = (qb: ExpressionBuilder<Database, "users">) =>
    qb.selectFrom("presence").select("user_id").where("room_id", "=", roomId);
  const [users, total] = await Promise.all([
    db.selectFrom("users").select(["id", "username", "display_name"])
      .where("id", "in", inRoom)
      .orderBy(sql`lower(display_name)`).orderBy("id").limit(MAX_ONLINE).execute(),
    db.selectFrom("presence").select(sql<number>`count(distinct user_id)::int`.as("n"))
      .where("room_id", "=", roomId).executeTakeFirstOrThrow(),
  ]);
  return { users, total: total.n };
}

/** Display names of several people at once (a batch of join and leave notices). */
export async function displayNames(db: Kysely<Database>, ids: string[]) {
  if (!ids.length) return new Map<string, string>();
  const rows = await db.selectFrom("users").select(["id", "display_name"])
    .where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** How many people are online in each of the given rooms (rooms with nobody are absent). */
export async function onlineCounts(
  db: Kysely<Database>,
  roomIds: string[],
): Promise<Map<string, number>> {
  if (!roomIds.length) return new Map();
  const rows = await db.selectFrom("presence")
    .select(["room_id", sql<number>`count(distinct user_id)::int`.as("n")])
    .where("room_id", "in", roomIds).groupBy("room_id").execute();
  return new Map(rows.map((r) => [r.room_id, r.n]));
}

/** A person's display name (for join, leave and typing lines). */
export async function displayName(db: Kysely<Database>, userId: string) {
  const row = await db.selectFrom("users").select("display_name").where("id", "=", userId)
    .executeTakeFirst();
  return row?.display_name ?? null;
}
