import assert from "node:assert/strict";
import { changesSince } from "../../db/messages.ts";
import { sendMessage } from "../../db/send.ts";
import { createRoom } from "../../db/rooms.ts";
import type { Room, User } from "../../db/schema.ts";
import { createUser } from "../../db/users.ts";
import { storedMessage } from "../fixtures/app.ts";
import { storeForFile } from "../fixtures/store.ts";

const store = await storeForFile();
let ana: User, bob: User, room: Room;
Deno.test.beforeEach(async () => {
  ana = await createUser(store.db, { username: "ana", passwordHash: null, role: "guest" }) as User;
  bob = await createUser(store.db, { username: "bob", passwordHash: null, role: "guest" }) as User;
  room = await createRoom(store.db, { name: "general", creator: ana });
});

const send = async (author: User, body: string, clientId: string | null = null) =>
  storedMessage(
    await sendMessage(store.db, { roomId: room.id, authorId: author.id, body, clientId }),
  );

Deno.test("each message takes the next room version as its seq and version", async () => {
  const first = await send(ana, "one");
  const second = await send(ana, "two");
  assert.equal(first?.seq, 1);
  assert.equal(first?.version, 1);
  assert.equal(second?.seq, 2);
  const bumped = await store.db.selectFrom("rooms").select("version").where("id", "=", room.id)
    .executeTakeFirstOrThrow();
  assert.equal(bumped.version, 2);
});

Deno.test("concurrent sends get one gap-free order with no duplicates", async () => {
  await Promise.all(Array.from({ length: 40 }, (_, i) => send(ana, `m${i}`)));
  const rows = await changesSince(store.db, room.id, 0);
  assert.deepEqual(rows.map((r) => r.seq), Array.from({ length: 40 }, (_, i) => i + 1));
  assert.equal(new Set(rows.map((r) => r.body)).size, 40);
});

Deno.test("a repeated client_id returns the stored message without bumping the version", async () => {
  const first = await send(ana, "hello", "c1");
  const again = await send(ana, "hello", "c1");
  assert.equal(again?.id, first?.id);
  assert.equal(again?.body, "hello");
  assert.equal((await changesSince(store.db, room.id, 0)).length, 1);
  await assert.rejects(send(ana, "hello (another text)", "c1"), /already used/);
  assert.equal((await changesSince(store.db, room.id, 0)).length, 1);
});

Deno.test("concurrent retries with one client_id store one message", async () => {
  const results = await Promise.all(Array.from({ length: 8 }, () => send(ana, "same", "dup")));
  assert.equal(new Set(results.map((r) => r?.id)).size, 1);
  assert.equal((await changesSince(store.db, room.id, 0)).length, 1);
});

Deno.test("a person who is not a member cannot send, and nothing is written", async () => {
  assert.equal(await send(bob, "let me in"), null);
  assert.equal((await changesSince(store.db, room.id, 0)).length, 0);
  const unchanged = await store.db.selectFrom("rooms").select("version")
    .where("id", "=", room.id).executeTakeFirstOrThrow();
  assert.equal(unchanged.version, 0);
});

Deno.test("changesSince returns exactly the changes after a cursor, in order", async () => {
  for (const body of ["a", "b", "c", "d"]) await send(ana, body);
  assert.deepEqual((await changesSince(store.db, room.id, 2)).map((m) => m.body), ["c", "d"]);
});
