import { type Kysely, sql } from "kysely";
import { recordAudit } from "./audit.ts";
import type { Database, User } from "./schema.ts";
import { endOtherSessions } from "./sessions.ts";
import { type LinkRefusal, mintToken, secretMatches, tokenId } from "./tokens.ts";

/** How long a reset link works. */
export const RESET_HOURS = 24;

/** The reason any unusable link gets: it never says whether the link was real. */
const INVALID = "This reset link is not valid: check it was copied whole, or ask for a new one";

/**
 * Makes a one-time reset link for a person with a password (earlier unused links of theirs
 * stop working); audited when an admin made it. Returns the token, or null for a guest or bot.
 */
export async function createReset(
  db: Kysely<Database>,
  input: { user: User; actor: User | null },
): Promise<string | null> {
  // A bot (db/bots.ts) must never gain a password: it acts through tokens only.
  if (input.user.role === "guest" || input.user.bot) return null;
  const { id, token, secretHash } = mintToken();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("password_resets").where("user_id", "=", input.user.id)
      .where("used_at", "is", null).execute();
    await trx.insertInto("password_resets").values({
      id,
      secret_hash: secretHash,
      user_id: input.user.id,
      created_by: input.actor?.id ?? null,
      expires_at: new Date(Date.now() + RESET_HOURS * 3_600_000),
    }).execute();
    if (!input.actor) return;
    const entry = { actor: input.actor, action: "create reset link", target: input.user.username };
    await recordAudit(trx, entry);
  });
  return token;
}

/** The person a reset token is for, when it still works; else the reason it does not. */
export async function findReset(
  db: Kysely<Database>,
  token: string,
): Promise<{ id: string; user: User } | LinkRefusal> {
  const id = tokenId(token);
  const row = id
    ? await db.selectFrom("password_resets").selectAll().where("id", "=", id)
      .executeTakeFirst()
    : undefined;
  if (!row || !secretMatches(token, row.secret_hash)) {
    return { refused: INVALID, status: 404 };
  }
  if (row.used_at) {
    return { refused: "This reset link was already used: ask for a new one", status: 410 };
  }
  if (row.expires_at <= new Date()) {
    return { refused: "This reset link has expired: ask for a new one", status: 410 };
  }
  const user = await db.selectFrom("users").selectAll().where("id", "=", row.user_id)
    .where("deactivated_at", "is", null).executeTakeFirst();
  return user ? { id: row.id, user } : { refused: INVALID, status: 404 };
}

/**
 * Sets the new password through a reset link, once: the link is spent, and every session of
 * the person ends (their live connections close on every instance), in one transaction.
 */
export async function useReset(
  db: Kysely<Database>,
  input: { token: string; passwordHash: string },
): Promise<{ user: User } | LinkRefusal> {
  return await db.transaction().execute(async (trx) => {
    const id = tokenId(input.token);
    if (id) await sql`select 1 from password_resets where id = ${id} for update`.execute(trx);
    const found = await findReset(trx, input.token);
    if ("refused" in found) return found;
    await trx.updateTable("password_resets").set({ used_at: new Date() })
      .where("id", "=", found.id).execute();
    await trx.updateTable("users").set({ password_hash: input.passwordHash })
      .where("id", "=", found.user.id).execute();
    await endOtherSessions(trx, { userId: found.user.id, keep: null, why: "password" });
    return { user: found.user };
  });
}

/** The active accounts with a password that gave this address (a reset mails each). */
export async function accountsForEmail(db: Kysely<Database>, email: string): Promise<User[]> {
  return await db.selectFrom("users").selectAll()
    .where(sql<string>`lower(email)`, "=", email.toLowerCase())
    .where("deactivated_at", "is", null).where("password_hash", "is not", null)
    .limit(5).execute();
}
