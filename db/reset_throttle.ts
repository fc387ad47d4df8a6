// Mailed reset requests per client address and per address asked for, in login_failures (as
// db/throttle.ts keeps its counters) so every instance counts them: `m:` keys.
import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

const WINDOW_MS = 15 * 60_000;
/** Requests one client address may make, and mails one email address may get, per window. */
export const RESET_LIMITS = { perAddress: 5, perEmail: 3 };

/**
 * Counts a reset request; false when its client address or its email address is over the
 * limit. Every request counts, known address or not, so the answer tells nothing.
 */
export async function takeResetSlot(
  db: Kysely<Database>,
  keys: { address: string; email: string },
): Promise<boolean> {
  const address = `m:${keys.address}`;
  const email = `m:e:${keys.email.toLowerCase().slice(0, 254)}`;
  await db.deleteFrom("login_failures").where("key", "like", "m:%")
    .where("at", "<", new Date(Date.now() - WINDOW_MS)).execute();
  await db.insertInto("login_failures").values([{ key: address }, { key: email }]).execute();
  const rows = await db.selectFrom("login_failures")
    .select(["key", (eb) => eb.fn.countAll<number>().as("n")])
    .where("key", "in", [address, email]).groupBy("key").execute();
  const n = new Map(rows.map((r) => [r.key, Number(r.n)]));
  return (n.get(address) ?? 0) <= RESET_LIMITS.perAddress &&
    (n.get(email) ?? 0) <= RESET_LIMITS.perEmail;
}
