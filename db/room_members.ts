import { type Kysely, sql } from "kysely";
import { type AdminOutcome, recordAudit, refusedWith } from "./audit.ts";
import { notifyEvent } from "./events.ts";
import { roomForReader } from "./read_rule.ts";
import type { Database, Room, User } from "./schema.ts";
import { findUserByName } from "./users.ts";

/** One member as the member list shows them. */
export interface Member {
  id: string;
  username: string;
  display_name: string;
  role: User["role"];
}

/** A room's members, by name. */
export async function listMembers(db: Kysely<Database>, roomId: string): Promise<Member[]> {
  return await db.selectFrom("memberships").innerJoin("users", "users.id", "memberships.user_id")
    .select(["users.id", "users.username", "users.display_name", "users.role"])
    .where("memberships.room_id", "=", roomId).where("users.deactivated_at", "is", null)
    .orderBy(sql`lower(users.username)`).execute();
}

/**
 * Why this person cannot be let into the room, or null: the read rule (db/read_rule.ts) must
 * let them read it once they are a member.
 */
async function inviteProblem(
  db: Kysely<Database>,
  room: Room,
  invitee: User | null,
): Promise<string | null> {
  if (!invitee) return "There is no such person";
  const refusal = (await roomForReader(db, { id: room.id }, invitee.id))?.refusal ?? null;
  if (refusal === null || refusal === "private") return null;
  if (refusal === "admins") return `Only admins can read #${room.slug}`;
  if (refusal === "inactive") return "There is no such person";
  return `Guests cannot join #${room.slug}`;
}

/**
 * Adds someone to a private room by username. The caller has checked that the inviter may
 * read the room (enterRoom); an admin's invitation is also written to the audit log.
 */
export async function inviteMember(
  db: Kysely<Database>,
  inviter: User,
  input: { room: Room; username: string },
): Promise<AdminOutcome> {
  const { room } = input;
  if (room.kind !== "private") return refusedWith(422, `Anyone may join #${room.slug} already`);
  const invitee = await findUserByName(db, input.username.slice(0, 64));
  const problem = await inviteProblem(db, room, invitee);
  if (problem || !invitee) return refusedWith(422, problem ?? "There is no such person");
  return await db.transaction().execute(async (trx) => {
    await trx.insertInto("memberships").values({ room_id: room.id, user_id: invitee.id })
      .onConflict((oc) => oc.columns(["room_id", "user_id"]).doNothing()).execute();
    if (inviter.role === "admin") {
      const target = `@${invitee.username} to #${room.slug}`;
      await recordAudit(trx, { actor: inviter, action: "invite member", target });
    }
    return { ok: true } as const;
  });
}

/**
 * Removes a member from a private room (admins only, from the panel). The access event in the
 * same transaction makes every instance close that person's streams of the room at once.
 */
export async function removeMember(
  db: Kysely<Database>,
  actor: User,
  input: { room: Room; userId: string },
): Promise<AdminOutcome> {
  const { room } = input;
  if (room.kind !== "private") {
    return refusedWith(422, `Anyone may join #${room.slug}: make it private first`);
  }
  return await db.transaction().execute(async (trx) => {
    const gone = await trx.deleteFrom("memberships").where("room_id", "=", room.id)
      .where("user_id", "=", input.userId).returning("user_id").executeTakeFirst();
    if (!gone) return refusedWith(404, `That person is not a member of #${room.slug}`);
    await sql`select ${notifyEvent({ k: "access", u: input.userId, r: room.id })}`.execute(trx);
    const user = await trx.selectFrom("users").select("username").where("id", "=", input.userId)
      .executeTakeFirstOrThrow();
    const target = `@${user.username} from #${room.slug}`;
    await recordAudit(trx, { actor, action: "remove member", target });
    return { ok: true } as const;
  });
}
