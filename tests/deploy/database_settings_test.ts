// DATABASE_POOL_SIZE and DATABASE_LISTEN_URL: validated at start with a clear error, and used:
// the pool never opens more connections than asked, and the LISTEN connection goes to its own
// URL (for providers whose DATABASE_URL passes a transaction pooler, where LISTEN fails).
import assert from "node:assert/strict";
import postgres from "postgres";
import { readConfig } from "../../config.ts";
import { openStore } from "../../db/connect.ts";
import { freshDatabase, SERVER_URL } from "../fixtures/store.ts";
import { waitUntil } from "../fixtures/wait.ts";

const URL_A = "postgres://chat@db.example:5432/chat";
const needsServer = { ignore: !SERVER_URL };

Deno.test("DATABASE_POOL_SIZE is 10 unless set to a whole number from 1 to 100", () => {
  assert.equal(readConfig({ DATABASE_URL: URL_A }).poolSize, 10);
  assert.equal(readConfig({ DATABASE_URL: URL_A, DATABASE_POOL_SIZE: "3" }).poolSize, 3);
  for (const bad of ["0", "-1", "2.5", "ten", "101"]) {
    assert.throws(
      () => readConfig({ DATABASE_URL: URL_A, DATABASE_POOL_SIZE: bad }),
      new RegExp(`DATABASE_POOL_SIZE must be a whole number from 1 to 100, got "${bad}"`),
    );
  }
});

Deno.test("DATABASE_LISTEN_URL must be a postgres URL and comes with DATABASE_URL", () => {
  assert.equal(readConfig({ DATABASE_URL: URL_A }).databaseListenUrl, null);
  const listen = "postgres://chat@db.example:5433/chat";
  assert.equal(
    readConfig({ DATABASE_URL: URL_A, DATABASE_LISTEN_URL: listen }).databaseListenUrl,
    listen,
  );
  assert.throws(
    () => readConfig({ DATABASE_URL: URL_A, DATABASE_LISTEN_URL: "mysql://db.example/chat" }),
    /DATABASE_LISTEN_URL must start with postgres:\/\/ or postgresql:\/\//,
  );
  assert.throws(() => readConfig({ DATABASE_LISTEN_URL: listen }), /needs DATABASE_URL/);
});

/** Who holds connections named `name` on the server, one row per connection. */
async function sessions(admin: postgres.Sql, name: string) {
  return await admin<{ usename: string }[]>`
    select usename from pg_stat_activity where application_name = ${name}`;
}

Deno.test(
  "an instance opens at most DATABASE_POOL_SIZE query connections",
  needsServer,
  async () => {
    await using fresh = await freshDatabase(SERVER_URL!);
    const config = readConfig({
      DATABASE_URL: fresh.url,
      DATABASE_POOL_SIZE: "2",
      INSTANCE_ID: "pool",
    });
    const store = await openStore(config);
    const admin = postgres(SERVER_URL!, { max: 1, onnotice: () => {} });
    try {
      const sleeps = Array.from(
        { length: 6 },
        () => store.db.selectNoFrom((eb) => eb.fn("pg_sleep", [eb.val(0.3)]).as("slept")).execute(),
      );
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal((await sessions(admin, "chat-pool")).length, 2);
      await Promise.all(sleeps);
    } finally {
      await admin.end();
      await store.close();
    }
  },
);

Deno.test(
  "the LISTEN connection uses DATABASE_LISTEN_URL when it is set",
  needsServer,
  async () => {
    await using fresh = await freshDatabase(SERVER_URL!);
    const role = `chat_listener_${crypto.randomUUID().slice(0, 8)}`;
    const admin = postgres(SERVER_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create role ${role} login`);
    const listenUrl = new URL(fresh.url);
    listenUrl.username = role;
    const config = readConfig({
      DATABASE_URL: fresh.url,
      DATABASE_LISTEN_URL: listenUrl.toString(),
      INSTANCE_ID: "listen",
    });
    const store = await openStore(config);
    try {
      let listening = false;
      await store.bus.start({ onEvent: () => {}, onListen: () => listening = true });
      await waitUntil(() => listening, "the listener");
      const rows = await sessions(admin, "chat-listener-listen");
      assert.deepEqual(rows.map((r) => r.usename), [role]);
    } finally {
      await store.close();
      await admin.unsafe(`drop role if exists ${role}`);
      await admin.end();
    }
  },
);
