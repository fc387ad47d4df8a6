import assert from "node:assert/strict";
import { sql } from "kysely";
import { migrateToBottom, migrateToLatest } from "../../db/migrate.ts";
import { SERVER_URL, testStore } from "../fixtures/store.ts";

const where = SERVER_URL ? "a Postgres server" : "the embedded database";

Deno.test(`migrations run up, down and up again on ${where}`, async () => {
  await using store = await testStore();
  const tables = async () =>
    (await sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_schema = 'public' and table_name not like 'kysely_%' order by 1`
      .execute(store.db)).rows.map((r) => r.name);
  assert.deepEqual(await tables(), [
    "api_tokens",
    "audit_log",
    "bots",
    "feed_tokens",
    "file_chunks",
    "files",
    "instances",
    "invitations",
    "login_failures",
    "memberships",
    "mentions",
    "message_revisions",
    "messages",
    "password_resets",
    "presence",
    "reactions",
    "room_hooks",
    "rooms",
    "sessions",
    "settings",
    "users",
    "webhook_deliveries",
  ]);
  await migrateToBottom(store.db);
  assert.deepEqual(await tables(), []);
  assert.ok((await migrateToLatest(store.db)).length > 0);
  assert.deepEqual(await migrateToLatest(store.db), [], "a second run applies nothing");
});
