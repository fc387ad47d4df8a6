import { type Kysely, sql } from "kysely";
import { type AdminOutcome, recordAudit, refusedWith } from "./audit.ts";
import { notifyEvent, notifyMemberAccess } from "./events.ts";
import { mayRead } from "./read_rule.ts";
import type { Database, User } from "./schema.ts";

/** Every account, oldest first (the first is the founding admin). */
export async function listUsers(db: Kysely<Database>): Promise<User[]> {
  return await db.selectFrom("users").selectAll().orderBy("created_at").orderBy("id").execute();
}

/**
 * Locks the set of admins for this transaction and returns the target, and whether removing
 * the target's admin power would leave no active admin.
 */
async function lockAdmins(trx: Kysely<Database>, userId: string) {
  await sql`select pg_advisory_xact_lock(hashtext('chat.admins'))`.execute(trx);
  const user = await trx.selectFrom("users").selectAll().where("id", "=", userId)
    .executeTakeFirst();
  const others = await trx.selectFrom("users").select("id").where("role", "=", "admin")
    .where("deactivated_at", "is", null).where("id", "<>", userId).executeTakeFirst();
  const lastAdmin = user?.role === "admin" && !user.deactivated_at && !others;
  return { user, lastAdmin };
}

/** Makes an account an admin or a member; never demotes the last active admin. */
export async function changeRole(
  db: Kysely<Database>,
  actor: User,
  input: { userId: string; role: "admin" | "member" },
): Promise<AdminOutcome> {
  return await db.transaction().execute(async (trx) => {
    const { user, lastAdmin } = await lockAdmins(trx, input.userId);
    if (!user) return refusedWith(404, "There is no such person");
    if (user.role === "guest") return refusedWith(422, "Guests have no account to promote");
    if (input.role === "member" && lastAdmin) {
      return refusedWith(409, "The last admin cannot be demoted: promote someone else first");
    }
    await trx.updateTable("users").set({ role: input.role }).where("id", "=", user.id).execute();
    // A demoted admin stops reading admins-only rooms at once.
    if (input.role === "member") {
      await sql`select ${notifyMemberAccess()}
        from memberships m join rooms r on r.id = m.room_id join users u on u.id = m.user_id
        where m.user_id = ${user.id} and not ${mayRead("r", "u")}`.execute(trx);
    }
    const action = input.role === "admin" ? "promote to admin" : "demote to member";
    await recordAudit(trx, { actor, action, target: `@${user.username}` });
    return { ok: true } as const;
  });
}

/**
 * Deactivates an account (its sessions end and every instance closes its live connections,
 * all in this transaction) or reactivates it. Never deactivates the last active admin.
 */
export async function setActive(
  db: Kysely<Database>,
  actor: User,
  input: { userId: string; active: boolean },
): Promise<AdminOutcome> {
  return await db.transaction().execute(async (trx) => {
    const { user, lastAdmin } = await lockAdmins(trx, input.userId);
    if (!user) return refusedWith(404, "There is no such person");
    if (!input.active && lastAdmin) {
      return refusedWith(409, "The last admin cannot be deactivated: promote someone else first");
    }
    await trx.updateTable("users").set({ deactivated_at: input.active ? null : new Date() })
      .where("id", "=", user.id).execute();
    if (!input.active) {
      await trx.deleteFrom("sessions").where("user_id", "=", user.id).execute();
      await sql`select ${notifyEvent({ k: "access", u: user.id })}`.execute(trx);
    }
    const action = input.active ? "reactivate user" : "deactivate user";
    await recordAudit(trx, { actor, action, target: `@${user.username}` });
    return { ok: true } as const;
  });
}
