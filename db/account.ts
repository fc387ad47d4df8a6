import type { Kysely } from "kysely";
import { endOtherSessions } from "./sessions.ts";
import type { Database } from "./schema.ts";

/**
 * Sets a new password hash and ends every other session of the person in one transaction,
 * so their other devices' live connections close on every instance (db/sessions.ts).
 */
export async function changePassword(
  db: Kysely<Database>,
  input: { userId: string; passwordHash: string; keep: string | null },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("users").set({ password_hash: input.passwordHash })
      .where("id", "=", input.userId).execute();
    await endOtherSessions(trx, { userId: input.userId, keep: input.keep, why: "password" });
  });
}

/** Sets (or, with null, removes) the address reset links are mailed to. */
export async function changeEmail(
  db: Kysely<Database>,
  input: { userId: string; email: string | null },
): Promise<void> {
  await db.updateTable("users").set({ email: input.email }).where("id", "=", input.userId)
    .execute();
}
