// Frozen: never edit after it lands; add a new migration instead.
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable("presence")
    .addColumn("room_id", "text", (c) => c.notNull().references("rooms.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("instance_id", "text", (c) => c.notNull())
    .addColumn("connections", "integer", (c) => c.notNull().check(sql`connections > 0`))
    .addColumn("seen_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("presence_pkey", ["room_id", "user_id", "instance_id"])
    .execute();
  await db.schema.createIndex("presence_instance").on("presence").column("instance_id").execute();
  await db.schema.createIndex("presence_seen").on("presence").column("seen_at").execute();
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("presence").execute();
}
