// The presence heartbeat: one row per instance, and the sweep that removes the people of an
// instance that stopped beating (and only those).
import assert from "node:assert/strict";
import { sql } from "kysely";
import { onlineIn, refresh, removeInstance, sweepStale } from "../../db/presence.ts";
import { connect } from "../../db/presence_counts.ts";
import { createRoom } from "../../db/rooms.ts";
import type { Room, User } from "../../db/schema.ts";
import { createUser } from "../../db/users.ts";
import { storeForFile } from "../fixtures/store.ts";

const store = await storeForFile();
let people: User[], room: Room;
Deno.test.beforeEach(async () => {
  people = [];
  for (const name of ["ana", "bob", "cy", "dee"]) {
    people.push(
      await createUser(store.db, { username: name, passwordHash: null, role: "guest" }) as User,
    );
  }
  room = await createRoom(store.db, { name: "general", creator: people[0] });
});

const online = async () => (await onlineIn(store.db, room.id)).users.map((u) => u.username).sort();

/** Moves a table's timestamps `seconds` into the past, as if that much time went by. */
async function age(table: "presence" | "instances", seconds: number, where = sql`true`) {
  await sql`update ${sql.table(table)} set seen_at = seen_at - ${seconds}::int * interval '1 second'
    where ${where}`.execute(store.db);
}

Deno.test("a beat writes one row for its instance, however many people it holds", async () => {
  for (const person of people) {
    await connect(store.db, { roomId: room.id, userId: person.id, instanceId: "alive" });
  }
  await age("presence", 60);
  const before = await store.db.selectFrom("presence").select("seen_at").execute();
  await refresh(store.db, "alive");
  await refresh(store.db, "alive");
  const beats = await store.db.selectFrom("instances").selectAll().execute();
  assert.deepEqual(beats.map((b) => b.id), ["alive"]);
  const after = await store.db.selectFrom("presence").select("seen_at").execute();
  assert.deepEqual(after, before, "presence rows are not rewritten by a beat");
});

Deno.test("sweeps the people of a silent instance and keeps those of a beating one", async () => {
  const [ana, bob, cy] = people;
  await connect(store.db, { roomId: room.id, userId: ana.id, instanceId: "alive" });
  await connect(store.db, { roomId: room.id, userId: bob.id, instanceId: "dead" });
  await connect(store.db, { roomId: room.id, userId: cy.id, instanceId: "dead" });
  await connect(store.db, { roomId: room.id, userId: cy.id, instanceId: "alive" });
  await refresh(store.db, "alive");
  await refresh(store.db, "dead");
  await age("presence", 60);
  await age("instances", 60, sql`id = 'dead'`);
  assert.equal(await sweepStale(store.db, 30_000), 1, "bob left; cy is still on the live one");
  assert.deepEqual(await online(), ["ana", "cy"]);
  const beats = await store.db.selectFrom("instances").select("id").execute();
  assert.deepEqual(beats.map((b) => b.id), ["alive"], "the dead instance's beat row went too");
});

Deno.test("keeps a fresh row whose instance has not beaten yet, and sweeps it once it is old", async () => {
  await connect(store.db, { roomId: room.id, userId: people[0].id, instanceId: "starting" });
  assert.equal(await sweepStale(store.db, 30_000), 0);
  assert.deepEqual(await online(), ["ana"]);
  await age("presence", 60);
  assert.equal(await sweepStale(store.db, 30_000), 1);
  assert.deepEqual(await online(), []);
});

Deno.test("a stopping instance removes its people in one go; those online elsewhere stay", async () => {
  const [ana, bob, cy] = people;
  await connect(store.db, { roomId: room.id, userId: ana.id, instanceId: "stopping" });
  await connect(store.db, { roomId: room.id, userId: ana.id, instanceId: "stopping" });
  await connect(store.db, { roomId: room.id, userId: bob.id, instanceId: "stopping" });
  await connect(store.db, { roomId: room.id, userId: bob.id, instanceId: "other" });
  await connect(store.db, { roomId: room.id, userId: cy.id, instanceId: "other" });
  await refresh(store.db, "stopping");
  assert.equal(await removeInstance(store.db, "stopping"), 1, "only ana left");
  assert.deepEqual(await online(), ["bob", "cy"]);
  const rows = await store.db.selectFrom("presence").select("instance_id").execute();
  assert.ok(rows.every((r) => r.instance_id === "other"));
  const instances = await store.db.selectFrom("instances").select("id").execute();
  assert.ok(!instances.some((i) => i.id === "stopping"));
});
