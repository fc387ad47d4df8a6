// Frozen: never edit after it lands; add a new migration instead.
import type { Kysely } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // The public archive reads a room's messages by day (db/archive.ts: the day list, one day's
  // page and its neighbours), which otherwise reads every message of the room.
  await db.schema.createIndex("messages_room_created").on("messages")
    .columns(["room_id", "created_at"]).execute();
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("messages_room_created").execute();
}
