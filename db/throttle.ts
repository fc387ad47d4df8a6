import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

const WINDOW_MS = 15 * 60_000;
/** Failed logins allowed per window, per account and per address. */
export const LIMITS = { account: 5, address: 20 };

/** True when either key has failed too often within the window. */
export async function isThrottled(
  db: Kysely<Database>,
  keys: { account: string; address: string },
): Promise<boolean> {
  const since = new Date(Date.now() - WINDOW_MS);
  const rows = await db.selectFrom("login_failures")
    .select(["key", (eb) => eb.fn.countAll<number>().as("n")])
    .where("key", "in", [`a:${keys.account}`, `ip:${keys.address}`])
    .where("at", ">", since)
    .groupBy("key")
    .execute();
  return rows.some((r) =>
    Number(r.n) >= (r.key.startsWith("a:") ? LIMITS.account : LIMITS.address)
  );
}

/** Records a failed login for both keys, and forgets failures older than the window. */
export async function recordFailure(
  db: Kysely<Database>,
  keys: { account: string; address: string },
): Promise<void> {
  await db.insertInto("login_failures")
    .values([{ key: `a:${keys.account}` }, { key: `ip:${keys.address}` }]).execute();
  await db.deleteFrom("login_failures").where("at", "<", new Date(Date.now() - WINDOW_MS))
    .execute();
}
