import { type Kysely, sql } from "kysely";
import { mayRead } from "./read_rule.ts";
import type { Database, Room, RoomKind, User } from "./schema.ts";
import { newId } from "./users.ts";

/** The URL form of a room name: lower case, dashes, at most 40 characters. */
export function slugify(name: string): string {
  return name.normalize("NFKD").toLowerCase().replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
}

/** Why a room name cannot be used, or null. */
export function roomNameProblem(name: string): string | null {
  if (!name) return "Room name is required";
  if ([...name].length > 64) return "Room name must be at most 64 characters";
  if (!slugify(name)) return "Room name needs at least one letter or digit";
  return null;
}

/** Finds a room by slug. */
export async function findRoom(db: Kysely<Database>, slug: string): Promise<Room | null> {
  return await db.selectFrom("rooms").selectAll().where("slug", "=", slug)
    .executeTakeFirst() ?? null;
}

/** Creates a room with its creator as first member, or returns the room that has the slug. */
export async function createRoom(
  db: Kysely<Database>,
  input: { name: string; kind?: RoomKind; creator: User },
): Promise<Room> {
  return await db.transaction().execute(async (trx) => {
    const slug = slugify(input.name);
    const created = await trx.insertInto("rooms").values({
      id: newId(),
      slug,
      name: input.name,
      kind: input.kind ?? "open",
      created_by: input.creator.id,
    }).onConflict((oc) => oc.column("slug").doNothing()).returningAll().executeTakeFirst();
    const room = created ?? await trx.selectFrom("rooms").selectAll().where("slug", "=", slug)
      .executeTakeFirstOrThrow();
    await joinRoom(trx, room.id, input.creator.id);
    return room;
  });
}

/** Adds a member; a no-op when already a member. */
export async function joinRoom(db: Kysely<Database>, roomId: string, userId: string) {
  await db.insertInto("memberships").values({ room_id: roomId, user_id: userId })
    .onConflict((oc) => oc.columns(["room_id", "user_id"]).doNothing()).execute();
}

/** True when the user is a member of the room. */
export async function isMember(db: Kysely<Database>, roomId: string, userId: string) {
  const row = await db.selectFrom("memberships").select("user_id")
    .where("room_id", "=", roomId).where("user_id", "=", userId).executeTakeFirst();
  return row !== undefined;
}

/** One row of the room index. */
export interface RoomSummary {
  id: string;
  slug: string;
  name: string;
  kind: RoomKind;
  members: number;
  /** Unread messages (0 unless a member), as of `version`, read in the same statement. */
  unread: number;
  version: number;
  member: boolean;
}

/** The rooms of the index: every unarchived, non-direct room the read rule lets the user read. */
export async function listRooms(db: Kysely<Database>, userId: string): Promise<RoomSummary[]> {
  const result = await sql<RoomSummary>`
    select r.id, r.slug, r.name, r.kind, r.version, mine.user_id is not null as member,
      (select count(*)::int from memberships m where m.room_id = r.id) as members,
      coalesce((select count(*)::int from messages g where g.room_id = r.id
        and g.seq > mine.last_read_version and g.author_id <> ${userId}
        and g.deleted_at is null), 0) as unread
    from rooms r
    left join memberships mine on mine.room_id = r.id and mine.user_id = ${userId}
    join users u on u.id = ${userId}
    where r.archived_at is null and r.kind <> 'direct' and ${mayRead("r", "u")}
    order by r.name`.execute(db);
  return result.rows;
}

/** A room in a person's live room list: what the sidebar and the index count. */
export interface RoomCounts {
  id: string;
  version: number;
  member: boolean;
  unread: number;
  online: number;
}

/**
 * listRooms's rooms and unread counts, with each room's online count, for many people in one
 * query (the pages of a whole room reconnect at once after a restart).
 */
export async function roomCountsFor(
  db: Kysely<Database>,
  userIds: string[],
): Promise<Map<string, RoomCounts[]>> {
  const found = new Map<string, RoomCounts[]>(userIds.map((id) => [id, []]));
  if (!userIds.length) return found;
  const { rows } = await sql<RoomCounts & { user_id: string }>`
    select u.id as user_id, r.id, r.version, mine.user_id is not null as member,
      coalesce((select count(*)::int from messages g where g.room_id = r.id
        and g.seq > mine.last_read_version and g.author_id <> u.id
        and g.deleted_at is null), 0) as unread,
      (select count(distinct p.user_id)::int from presence p where p.room_id = r.id) as online
    from users u
    join rooms r on r.archived_at is null and r.kind <> 'direct' and ${mayRead("r", "u")}
    left join memberships mine on mine.room_id = r.id and mine.user_id = u.id
    where u.id in (select jsonb_array_elements_text(${JSON.stringify(userIds)}::jsonb))
    order by r.name`.execute(db);
  for (const { user_id, ...room } of rows) found.get(user_id)?.push(room);
  return found;
}
