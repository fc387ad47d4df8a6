// Throttle counters, kept in login_failures as (key, time) rows so every instance sees them:
// `p:` failed logins per address and account, `ip:` failed logins per address (any names),
// `g:` guest sessions started per address.
import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

const WINDOW_MS = 15 * 60_000;
const GUEST_WINDOW_MS = 10 * 60_000;
/** Failures from one address, with any names, per doubling of its delay. */
export const ADDRESS_STEP = 10;

/** Who is trying: the client address (routes/client_address.ts) and the name typed. */
export interface LoginKeys {
  account: string;
  address: string;
}

/** One key per IPv4 address, and per /64 for IPv6 (what one household or host gets). */
function addressKey(address: string): string {
  const groups = address.split(":");
  return groups.length === 8 ? `${groups.slice(0, 4).join(":")}::/64` : address;
}

/** The counter keys of a login attempt: its pair (address and name) and its address. */
export function keysOf(keys: LoginKeys): { pair: string; address: string } {
  const address = addressKey(keys.address);
  // Longer names are no account's; the cut keeps the key small enough to index.
  return {
    pair: `p:${address}|${keys.account.toLowerCase().slice(0, 64)}`,
    address: `ip:${address}`,
  };
}

/** The delay after `steps` doublings: none for none, then `delayMs`, twice that, … up to the cap. */
export function grow(steps: number, delays: { delayMs: number; maxDelayMs: number }): number {
  if (steps <= 0) return 0;
  return Math.min(delays.delayMs * 2 ** Math.min(steps - 1, 30), delays.maxDelayMs);
}

async function counts(db: Kysely<Database>, keys: string[], windowMs: number) {
  const rows = await db.selectFrom("login_failures")
    .select(["key", (eb) => eb.fn.countAll<number>().as("n")])
    .where("key", "in", keys)
    .where("at", ">", new Date(Date.now() - windowMs))
    .groupBy("key")
    .execute();
  return new Map(rows.map((r) => [r.key, Number(r.n)]));
}

/**
 * How long to hold the next login attempt before checking it: recent failures of this name
 * from this address double it each time, and an address failing with many names is slowed
 * too. Never a refusal: the right password still signs in once the delay has passed.
 */
export async function loginDelay(
  db: Kysely<Database>,
  keys: LoginKeys,
  delays: { delayMs: number; maxDelayMs: number },
): Promise<number> {
  const k = keysOf(keys);
  const n = await counts(db, [k.pair, k.address], WINDOW_MS);
  const pair = grow(n.get(k.pair) ?? 0, delays);
  return Math.max(pair, grow(Math.floor((n.get(k.address) ?? 0) / ADDRESS_STEP), delays));
}

/** Records a failed login for the pair and the address, and forgets rows past every window. */
export async function recordFailure(db: Kysely<Database>, keys: LoginKeys): Promise<void> {
  const k = keysOf(keys);
  await db.insertInto("login_failures").values([{ key: k.pair }, { key: k.address }]).execute();
  await forgetOld(db);
}

async function forgetOld(db: Kysely<Database>) {
  await db.deleteFrom("login_failures").where("at", "<", new Date(Date.now() - WINDOW_MS))
    .execute();
}

/** A successful login clears its pair (the address keeps its count: a sprayer may own one). */
export async function forgetFailures(db: Kysely<Database>, keys: LoginKeys): Promise<void> {
  await db.deleteFrom("login_failures").where("key", "=", keysOf(keys).pair).execute();
}

/**
 * Counts a guest session for an address; false when the address started more than `limit`
 * within the window (0: no limit). The row goes in before the count, so requests racing each
 * other can only refuse more, never let more through; refused attempts count too.
 */
export async function takeGuestSlot(
  db: Kysely<Database>,
  address: string,
  limit: number,
): Promise<boolean> {
  if (limit === 0) return true;
  const key = `g:${addressKey(address)}`;
  await db.insertInto("login_failures").values({ key }).execute();
  await forgetOld(db);
  return ((await counts(db, [key], GUEST_WINDOW_MS)).get(key) ?? 0) <= limit;
}
