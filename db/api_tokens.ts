// API tokens: `<id>.<secret>` (db/tokens.ts's shape), only the secret's hash kept. A bot's are
// made by an admin, a person's on their account page; either acts as its user, under the
// same read rule as a session. Revoking stamps the row, so the list keeps what was revoked.
import { type Kysely, sql } from "kysely";
import { notifyEvent } from "./events.ts";
import type { Database, User } from "./schema.ts";
import { mintToken, secretMatches, tokenId } from "./tokens.ts";

/** The longest token name. */
export const MAX_TOKEN_NAME = 64;

/** A token as its owner sees it (never its secret). */
export interface TokenRow {
  id: string;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** Why a token name cannot be used, or null. */
export function tokenNameProblem(name: string): string | null {
  if (!name.trim()) return "Give the token a name (what will use it)";
  if (name.length > MAX_TOKEN_NAME) return `A token name has at most ${MAX_TOKEN_NAME} characters`;
  if (/[\p{Cc}\p{Cf}]/u.test(name)) return "A token name cannot hold control characters";
  return null;
}

/** Makes a token for the user; returns it whole, to be shown once. */
export async function createApiToken(
  db: Kysely<Database>,
  input: { userId: string; name: string },
): Promise<string> {
  const { id, token, secretHash } = mintToken();
  await db.insertInto("api_tokens")
    .values({ id, user_id: input.userId, name: input.name.trim(), secret_hash: secretHash })
    .execute();
  return token;
}

/** The user's tokens, newest first (revoked ones too: the list says when). */
export async function listApiTokens(db: Kysely<Database>, userId: string): Promise<TokenRow[]> {
  return await db.selectFrom("api_tokens")
    .select(["id", "name", "created_at", "last_used_at", "revoked_at"])
    .where("user_id", "=", userId).orderBy("id", "desc").limit(100).execute();
}

/**
 * What a token's live connections carry as their session (routes/guards.ts sets it), so that
 * revoking it closes them on every instance like a session's end (live/session_events.tsx).
 */
export function tokenSession(tokenId: string): string {
  return `api:${tokenId}`;
}

/** Revokes one of the user's tokens, closing its open tails; false when not theirs or revoked. */
export async function revokeApiToken(
  db: Kysely<Database>,
  input: { userId: string; tokenId: string },
): Promise<boolean> {
  return await db.transaction().execute(async (trx) => {
    const done = await trx.updateTable("api_tokens").set({ revoked_at: new Date() })
      .where("id", "=", input.tokenId).where("user_id", "=", input.userId)
      .where("revoked_at", "is", null).executeTakeFirst();
    if (!done.numUpdatedRows) return false;
    const s = tokenSession(input.tokenId);
    await sql`select ${notifyEvent({ k: "session", u: input.userId, s, why: "signout" })}`
      .execute(trx);
    return true;
  });
}

/**
 * The active user a token belongs to, or null (malformed, wrong, revoked, deactivated).
 * Marks it used, at most once a minute (a busy script would otherwise write on every call).
 */
export async function tokenUser(db: Kysely<Database>, token: string): Promise<User | null> {
  const id = tokenId(token);
  if (!id) return null;
  const row = await db.selectFrom("api_tokens as t").innerJoin("users as u", "u.id", "t.user_id")
    .selectAll("u").select(["t.secret_hash", "t.last_used_at"]).where("t.id", "=", id)
    .where("t.revoked_at", "is", null).where("u.deactivated_at", "is", null).executeTakeFirst();
  if (!row || !secretMatches(token, row.secret_hash)) return null;
  const { secret_hash: _, last_used_at: used, password_hash: __, ...user } = row;
  if (!used || Date.now() - used.getTime() > 60_000) {
    await db.updateTable("api_tokens").set({ last_used_at: sql`now()` }).where("id", "=", id)
      .execute();
  }
  return { ...user, password_hash: null };
}
