import { type Kysely, sql } from "kysely";
import { publicRefusal } from "./archive.ts";
import { type AdminOutcome, recordAudit, refusedWith } from "./audit.ts";
import { notifyMemberAccess } from "./events.ts";
import { mayRead } from "./read_rule.ts";
import { roomNameProblem } from "./rooms.ts";
import type { Database, Room, User } from "./schema.ts";

/** How a room is shown and chosen: admin-only is an open or private room where only admins post. */
export type RoomAccess = "open" | "private" | "admin-only";

/** The access a room has, as the panel shows it ("direct" rooms are not managed here). */
export function roomAccess(room: Room): RoomAccess | "direct" {
  if (room.kind === "direct") return "direct";
  return room.admins_only ? "admin-only" : room.kind;
}

/** The changes an admin may make to a room in one form. */
export interface RoomChanges {
  name: string;
  access: RoomAccess;
  readAccess: "all" | "admins";
  guestsAllowed: boolean;
}

/** Every room but direct conversations, newest first. */
export async function listAllRooms(db: Kysely<Database>): Promise<Room[]> {
  return await db.selectFrom("rooms").selectAll().where("kind", "<>", "direct")
    .orderBy("archived_at", "desc").orderBy("name").execute();
}

/** Any room by id. */
export async function findRoomById(db: Kysely<Database>, id: string): Promise<Room | null> {
  return await db.selectFrom("rooms").selectAll().where("id", "=", id).executeTakeFirst() ?? null;
}

/** A room the panel may manage (never a direct conversation), by id. */
export async function managedRoom(db: Kysely<Database>, id: string): Promise<Room | null> {
  return await db.selectFrom("rooms").selectAll().where("id", "=", id)
    .where("kind", "<>", "direct").executeTakeFirst() ?? null;
}

/**
 * Queues an access event for every member the read rule no longer lets read the room
 * (non-admins of an admins-only room, guests where guests are refused), so their live
 * streams close.
 */
export async function notifyRefusedMembers(trx: Kysely<Database>, roomId: string) {
  await sql`select ${notifyMemberAccess()}
    from memberships m join users u on u.id = m.user_id join rooms r on r.id = m.room_id
    where m.room_id = ${roomId} and not ${mayRead("r", "u")}`.execute(trx);
}

/** Renames a room and sets its access; members who may no longer read are disconnected. */
export async function updateRoom(
  db: Kysely<Database>,
  actor: User,
  input: { roomId: string; changes: RoomChanges },
): Promise<AdminOutcome> {
  const { changes } = input;
  const problem = roomNameProblem(changes.name);
  if (problem) return refusedWith(422, problem);
  return await db.transaction().execute(async (trx) => {
    const room = await trx.updateTable("rooms").set({
      name: changes.name,
      kind: changes.access === "private" ? "private" : "open",
      admins_only: changes.access === "admin-only",
      read_access: changes.readAccess,
      guests_allowed: changes.guestsAllowed,
    }).where("id", "=", input.roomId).where("kind", "<>", "direct").returningAll()
      .executeTakeFirst();
    if (!room) return refusedWith(404, "There is no such room");
    await notifyRefusedMembers(trx, room.id);
    const detail = `name "${changes.name}", ${changes.access}, read by ${changes.readAccess}, ` +
      `guests ${changes.guestsAllowed ? "allowed" : "refused"}`;
    await recordAudit(trx, { actor, action: "change room", target: `#${room.slug}`, detail });
    return { ok: true } as const;
  });
}

/** Archives (read-only, nobody posts) or unarchives a room. */
export async function setArchived(
  db: Kysely<Database>,
  actor: User,
  input: { roomId: string; archived: boolean },
): Promise<AdminOutcome> {
  return await db.transaction().execute(async (trx) => {
    const room = await trx.updateTable("rooms")
      .set({ archived_at: input.archived ? new Date() : null })
      .where("id", "=", input.roomId).where("kind", "<>", "direct").returningAll()
      .executeTakeFirst();
    if (!room) return refusedWith(404, "There is no such room");
    const action = input.archived ? "archive room" : "unarchive room";
    await recordAudit(trx, { actor, action, target: `#${room.slug}` });
    return { ok: true } as const;
  });
}

/** Deletes a room with all its messages; everyone watching it is disconnected. */
export async function deleteRoom(
  db: Kysely<Database>,
  actor: User,
  roomId: string,
): Promise<AdminOutcome> {
  return await db.transaction().execute(async (trx) => {
    const room = await managedRoom(trx, roomId);
    if (!room) return refusedWith(404, "There is no such room");
    await sql`select ${notifyMemberAccess()}
      from memberships m where m.room_id = ${roomId}`.execute(trx);
    await trx.deleteFrom("rooms").where("id", "=", roomId).execute();
    await recordAudit(trx, { actor, action: "delete room", target: `#${room.slug}` });
    return { ok: true } as const;
  });
}

/**
 * Publishes a room's history (/archive/<slug>, no session needed) or withdraws it. Only a room
 * publicRefusal allows may be published, checked on the row locked for the change.
 */
export async function setPublicArchive(
  db: Kysely<Database>,
  actor: User,
  input: { roomId: string; published: boolean },
): Promise<AdminOutcome> {
  return await db.transaction().execute(async (trx) => {
    const room = await trx.selectFrom("rooms").selectAll().where("id", "=", input.roomId)
      .where("kind", "<>", "direct").forUpdate().executeTakeFirst();
    if (!room) return refusedWith(404, "There is no such room");
    const refusal = input.published ? publicRefusal(room) : null;
    if (refusal) return refusedWith(422, `The archive cannot be public: ${refusal}`);
    await trx.updateTable("rooms").set({ public_archive: input.published })
      .where("id", "=", room.id).execute();
    const action = input.published ? "publish archive" : "unpublish archive";
    await recordAudit(trx, { actor, action, target: `#${room.slug}` });
    return { ok: true } as const;
  });
}
