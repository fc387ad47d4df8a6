// Frozen: never edit after it lands; add a new migration instead.
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // An admin's choice to publish an open room's history (db/archive.ts decides, from the
  // current row, whether it is public now: a room that became private is not, flag or not).
  await db.schema.alterTable("rooms")
    .addColumn("public_archive", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
  // A person's private mention feed link, one each: `<user id>.<secret>`, only the secret's
  // SHA-256 kept (db/feed_tokens.ts). Replacing the row ends the old link.
  await db.schema.createTable("feed_tokens")
    .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("feed_tokens").execute();
  await db.schema.alterTable("rooms").dropColumn("public_archive").execute();
}
