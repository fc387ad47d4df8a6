// Frozen: never edit after it lands; add a new migration instead.
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // One row per person @mentioned in a message they may read; read_at null means unread.
  await db.schema.createTable("mentions")
    .addColumn(
      "message_id",
      "text",
      (c) => c.notNull().references("messages.id").onDelete("cascade"),
    )
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("room_id", "text", (c) => c.notNull().references("rooms.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("read_at", "timestamptz")
    .addPrimaryKeyConstraint("mentions_pk", ["message_id", "user_id"])
    .execute();
  await db.schema.createIndex("mentions_user_room").on("mentions")
    .columns(["user_id", "room_id", "read_at"]).execute();
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("mentions").execute();
}
