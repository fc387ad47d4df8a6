import { createHash } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { notifyEvent, type SessionEnd } from "./events.ts";
import type { Database, User } from "./schema.ts";

const SESSION_DAYS = 30;

/**
 * The stored form of a session token, and the session's id everywhere else (live connections
 * and bus events name a session by it; the token itself never leaves the cookie).
 */
export function sessionHash(token: string): string {
  // Synchronous on purpose: every request and every reconnecting page hashes its cookie, and
  // WebCrypto's promise costs about 20 times the hash itself (measured 86 µs against 4.5).
  return createHash("sha256").update(token).digest("hex");
}

/** Starts a session; returns the opaque token for the cookie (only its hash is stored). */
export async function createSession(db: Kysely<Database>, userId: string): Promise<string> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const token = btoa(String.fromCharCode(...bytes)).replace(
    /[+/=]/g,
    (c) => c === "+" ? "-" : c === "/" ? "_" : "",
  );
  await db.insertInto("sessions").values({
    token_hash: sessionHash(token),
    user_id: userId,
    expires_at: new Date(Date.now() + SESSION_DAYS * 86_400_000),
  }).execute();
  return token;
}

/**
 * The active user behind a session (its token's hash, see sessionHash), or null. The password
 * hash is never loaded with it: the session user travels through every request and lives as
 * long as its connections.
 */
export async function userForSession(db: Kysely<Database>, hash: string): Promise<User | null> {
  return (await usersForSessions(db, [hash])).get(hash) ?? null;
}

/** userForSession for many sessions in one query (a room's pages reconnecting at once). */
export async function usersForSessions(
  db: Kysely<Database>,
  hashes: string[],
): Promise<Map<string, User>> {
  if (!hashes.length) return new Map();
  const rows = await db.selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["sessions.token_hash", "users.id", "username", "display_name", "role"])
    .select(["users.created_at", "deactivated_at", "email", "invitation_id", "bot"])
    .select(sql<null>`null`.as("password_hash"))
    .where("sessions.token_hash", "in", hashes)
    .where("sessions.expires_at", ">", new Date())
    .where("users.deactivated_at", "is", null)
    .execute();
  return new Map(rows.map(({ token_hash, ...user }) => [token_hash, user]));
}

/**
 * Ends a session on the server; its live connections on every instance close (the event
 * commits with the deletion, so no instance hears of an end that did not happen).
 */
export async function deleteSession(
  db: Kysely<Database>,
  token: string,
  why: SessionEnd = "signout",
): Promise<void> {
  const s = sessionHash(token);
  await db.transaction().execute(async (trx) => {
    const ended = await trx.deleteFrom("sessions").where("token_hash", "=", s)
      .returning("user_id").executeTakeFirst();
    if (ended) {
      await sql`select ${notifyEvent({ k: "session", u: ended.user_id, s, why })}`.execute(trx);
    }
  });
}

/**
 * Ends every session of a user but the one given by its hash (a password change keeps the
 * session that made it); their live connections on every instance close.
 */
export async function endOtherSessions(
  db: Kysely<Database>,
  input: { userId: string; keep: string | null; why: SessionEnd },
): Promise<void> {
  const keep = input.keep ?? "";
  const end = async (trx: Kysely<Database>) => {
    await trx.deleteFrom("sessions").where("user_id", "=", input.userId)
      .where("token_hash", "!=", keep).execute();
    const event = { k: "session" as const, u: input.userId, keep, why: input.why };
    await sql`select ${notifyEvent(event)}`.execute(trx);
  };
  // Inside a caller's transaction (db/account.ts) it joins it; otherwise it is its own.
  if (db.isTransaction) return await end(db);
  await db.transaction().execute(end);
}

/** Which of these session hashes still name a live session (one query for many sockets). */
export async function liveSessions(
  db: Kysely<Database>,
  hashes: string[],
): Promise<Set<string>> {
  if (!hashes.length) return new Set();
  const rows = await db.selectFrom("sessions").select("token_hash")
    .where("token_hash", "in", hashes)
    .where("expires_at", ">", new Date())
    .execute();
  return new Set(rows.map((r) => r.token_hash));
}
