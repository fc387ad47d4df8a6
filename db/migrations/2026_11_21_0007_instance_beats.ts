// Frozen: never edit after it lands; add a new migration instead.
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // One heartbeat row per running instance. Presence rows used to carry the heartbeat
  // themselves, so an instance rewrote one row per person online every few seconds; now it
  // touches its own row, and a presence row is stale when its instance's beat is.
  await db.schema.createTable("instances")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("seen_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("instances").execute();
}
