// Frozen: never edit after it lands; add a new migration instead.
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // A file sent with a message (db/files.ts). Deleting the message row takes its files; a
  // soft delete removes them in its own transaction (routes/message_edits.tsx).
  await db.schema.createTable("files")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn(
      "message_id",
      "text",
      (c) => c.notNull().references("messages.id").onDelete("cascade"),
    )
    .addColumn("room_id", "text", (c) => c.notNull().references("rooms.id").onDelete("cascade"))
    .addColumn("uploader_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("width", "integer")
    .addColumn("height", "integer")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("files_message").on("files").column("message_id").execute();
  // The bytes, in pieces of about 256 KB, so a download streams one piece at a time.
  await db.schema.createTable("file_chunks")
    .addColumn("file_id", "text", (c) => c.notNull().references("files.id").onDelete("cascade"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("bytes", "bytea", (c) => c.notNull())
    .addPrimaryKeyConstraint("file_chunks_pk", ["file_id", "seq"])
    .execute();
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("file_chunks").execute();
  await db.schema.dropTable("files").execute();
}
