// Frozen: never edit after it lands; add a new migration instead.
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable("reactions")
    .addColumn(
      "message_id",
      "text",
      (c) => c.notNull().references("messages.id").onDelete("cascade"),
    )
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("emoji", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("reactions_pk", ["message_id", "emoji", "user_id"])
    .execute();
  // Search uses this exact expression (db/search.ts); deleted messages are never searched.
  await sql`create index messages_search on messages
    using gin (to_tsvector('english', body)) where deleted_at is null`.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists messages_search`.execute(db);
  await db.schema.dropTable("reactions").execute();
}
