// Frozen: never edit after it lands; add a new migration instead.
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Who may sign up: open, by invitation, or closed. Null means no admin has chosen yet, and
  // the configured default applies (REGISTRATION, invitation unless set). An install that
  // already has accounts was open until now: it stays open until an admin chooses, so nobody
  // who could sign up yesterday is turned away by an upgrade. A fresh install starts empty
  // (the first account still becomes admin) and follows the default.
  await db.schema.alterTable("settings")
    .addColumn(
      "registration",
      "text",
      (c) => c.check(sql`registration in ('open','invitation','closed')`),
    )
    .execute();
  await sql`insert into settings (id, registration)
    select 1, 'open' where exists (select 1 from users where password_hash is not null)
    on conflict (id) do update set registration = 'open'`.execute(db);

  await db.schema.createTable("invitations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_by_name", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("max_uses", "integer", (c) => c.check(sql`max_uses > 0`))
    .addColumn("uses", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("guests_only", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("revoked_at", "timestamptz")
    .execute();

  // An optional address for reset links by email (not unique: a reset mails each account
  // that has it, and sign-up never tells whether an address is in use). invitation_id: the
  // link that let a person in; a guest who has one reads while guests are otherwise off.
  await db.schema.alterTable("users")
    .addColumn("email", "text")
    .addColumn("invitation_id", "text", (c) => c.references("invitations.id").onDelete("set null"))
    .execute();
  await db.schema.createIndex("users_email").on("users").expression(sql`lower(email)`)
    .where(sql.ref("email"), "is not", null).execute();

  await db.schema.createTable("password_resets")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("used_at", "timestamptz")
    .execute();
  await db.schema.createIndex("password_resets_user").on("password_resets").column("user_id")
    .execute();
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("password_resets").execute();
  await db.schema.alterTable("users").dropColumn("email").dropColumn("invitation_id").execute();
  await db.schema.dropTable("invitations").execute();
  await db.schema.alterTable("settings").dropColumn("registration").execute();
}
