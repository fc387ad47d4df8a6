// A person's private mention feed link: `<user id>.<secret>` (db/tokens.ts's shape, with the
// person's own id), only the secret's hash kept, one row each. Making a new link replaces the
// row, so the old link stops working at once; turning it off deletes the row.
import type { Kysely } from "kysely";
import type { Database, User } from "./schema.ts";
import { mintToken, secretMatches, tokenId } from "./tokens.ts";

/** Makes the person a new feed link (ending the old one); returns the token, shown once. */
export async function replaceFeedToken(db: Kysely<Database>, userId: string): Promise<string> {
  const { token, id, secretHash } = mintToken();
  await db.insertInto("feed_tokens").values({ user_id: userId, secret_hash: secretHash })
    .onConflict((oc) =>
      oc.column("user_id").doUpdateSet({ secret_hash: secretHash, created_at: new Date() })
    ).execute();
  return `${userId}${token.slice(id.length)}`;
}

/** Ends the person's feed link. */
export async function revokeFeedToken(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom("feed_tokens").where("user_id", "=", userId).execute();
}

/** When the person's working feed link was made, or null (the page offers to make one). */
export async function feedTokenMade(db: Kysely<Database>, userId: string): Promise<Date | null> {
  const row = await db.selectFrom("feed_tokens").select("created_at")
    .where("user_id", "=", userId).executeTakeFirst();
  return row?.created_at ?? null;
}

/** The active person a feed token belongs to, or null (malformed, wrong, revoked, deactivated). */
export async function feedOwner(db: Kysely<Database>, token: string): Promise<User | null> {
  const id = tokenId(token);
  if (!id) return null;
  const row = await db.selectFrom("feed_tokens as f").innerJoin("users as u", "u.id", "f.user_id")
    .selectAll("u").select("f.secret_hash").where("f.user_id", "=", id)
    .where("u.deactivated_at", "is", null).executeTakeFirst();
  if (!row || !secretMatches(token, row.secret_hash)) return null;
  const { secret_hash: _, ...user } = row;
  return user;
}
