import { type Kysely, sql } from "kysely";
import type { Database, User } from "./schema.ts";

const SESSION_DAYS = 30;

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Starts a session; returns the opaque token for the cookie (only its hash is stored). */
export async function createSession(db: Kysely<Database>, userId: string): Promise<string> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const token = btoa(String.fromCharCode(...bytes)).replace(
    /[+/=]/g,
    (c) => c === "+" ? "-" : c === "/" ? "_" : "",
  );
  await db.insertInto("sessions").values({
    token_hash: await sha256(token),
    user_id: userId,
    expires_at: new Date(Date.now() + SESSION_DAYS * 86_400_000),
  }).execute();
  return token;
}

/**
 * The active user behind a session token, or null. The password hash is never loaded with it:
 * the session user travels through every request and lives as long as its connections.
 */
export async function userForSession(db: Kysely<Database>, token: string): Promise<User | null> {
  if (!token || token.length > 100) return null;
  const user = await db.selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["users.id", "username", "display_name", "role", "users.created_at", "deactivated_at"])
    .select(sql<null>`null`.as("password_hash"))
    .where("sessions.token_hash", "=", await sha256(token))
    .where("sessions.expires_at", ">", new Date())
    .where("users.deactivated_at", "is", null)
    .executeTakeFirst();
  return user ?? null;
}

/** Ends a session on the server. */
export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom("sessions").where("token_hash", "=", await sha256(token)).execute();
}
