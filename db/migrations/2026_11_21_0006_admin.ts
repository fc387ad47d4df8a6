// Frozen: never edit after it lands; add a new migration instead.
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Admin-only rooms keep their kind ("open" or "private") and add who may post and read.
  await db.schema.alterTable("rooms")
    .addColumn("admins_only", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn(
      "read_access",
      "text",
      (c) => c.notNull().defaultTo("all").check(sql`read_access in ('all','admins')`),
    )
    .addColumn("guests_allowed", "boolean", (c) => c.notNull().defaultTo(true))
    .execute();

  // One row (id = 1); a missing row means the defaults, so truncating it is harmless.
  await db.schema.createTable("settings")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("guests_enabled", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn(
      "room_creators",
      "text",
      (c) =>
        c.notNull().defaultTo("everyone").check(
          sql`room_creators in ('everyone','members','admins')`,
        ),
    )
    .execute();

  await db.schema.createTable("audit_log")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("actor_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("actor_name", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target", "text", (c) => c.notNull())
    .addColumn("detail", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("audit_log_created").on("audit_log").column("created_at")
    .execute();
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("audit_log").execute();
  await db.schema.dropTable("settings").execute();
  await db.schema.alterTable("rooms").dropColumn("admins_only").dropColumn("read_access")
    .dropColumn("guests_allowed").execute();
}
