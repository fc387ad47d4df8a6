// Frozen: never edit after it lands; add a new migration instead.
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable("message_revisions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn(
      "message_id",
      "text",
      (c) => c.notNull().references("messages.id").onDelete("cascade"),
    )
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("edited_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("editor_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .execute();
  await db.schema.createIndex("message_revisions_message").on("message_revisions")
    .columns(["message_id", "edited_at"]).execute();
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("message_revisions").execute();
}
