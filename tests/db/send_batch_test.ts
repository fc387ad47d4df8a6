import assert from "node:assert/strict";
import { changesSince } from "../../db/messages.ts";
import { createRoom } from "../../db/rooms.ts";
import type { Room, User } from "../../db/schema.ts";
import { SendBatcher } from "../../db/send_batch.ts";
import { createUser } from "../../db/users.ts";
import { storedMessage } from "../fixtures/app.ts";
import { storeForFile } from "../fixtures/store.ts";

const store = await storeForFile();
let ana: User, bob: User, room: Room, batcher: SendBatcher;
Deno.test.beforeEach(async () => {
  ana = await createUser(store.db, { username: "ana", passwordHash: null, role: "guest" }) as User;
  bob = await createUser(store.db, { username: "bob", passwordHash: null, role: "guest" }) as User;
  room = await createRoom(store.db, { name: "general", creator: ana });
  batcher = new SendBatcher(store.db);
});

const send = async (author: User, body: string, clientId: string | null = null) =>
  storedMessage(
    await batcher.send({ roomId: room.id, authorId: author.id, body, clientId, mentions: [] }),
  );

Deno.test("concurrent sends are stored gap-free in the order they arrived", async () => {
  const results = await Promise.all(Array.from({ length: 30 }, (_, i) => send(ana, `m${i}`)));
  assert.deepEqual(results.map((m) => m?.body), results.map((_, i) => `m${i}`));
  const rows = await changesSince(store.db, room.id, 0);
  assert.deepEqual(rows.map((r) => r.seq), Array.from({ length: 30 }, (_, i) => i + 1));
  assert.deepEqual(rows.map((r) => r.body), rows.map((_, i) => `m${i}`));
});

Deno.test("a refused send in a batch gets null and the others are still stored", async () => {
  const results = await Promise.all([
    send(ana, "first"),
    send(ana, "second"),
    send(bob, "not a member"),
    send(ana, "third"),
  ]);
  assert.equal(results[2], null);
  const rows = await changesSince(store.db, room.id, 0);
  assert.deepEqual(rows.map((r) => [r.seq, r.body]), [[1, "first"], [2, "second"], [3, "third"]]);
});

Deno.test("a client_id repeated inside one batch stores one message and returns it twice", async () => {
  const [, a, b] = await Promise.all([
    send(ana, "opens the batch"),
    send(ana, "hello", "c1"),
    send(ana, "hello", "c1"),
  ]);
  assert.equal(a?.id, b?.id);
  assert.equal(b?.body, "hello");
  assert.equal((await changesSince(store.db, room.id, 0)).length, 2);
});

Deno.test("a mention inside a batch records the inbox item in the same transaction", async () => {
  const [, mentioning] = await Promise.all([
    send(bob, "not a member, refused"),
    batcher.send({
      roomId: room.id,
      authorId: ana.id,
      body: "hi @bob",
      clientId: null,
      mentions: ["bob"],
    }),
    send(ana, "closes the batch"),
  ]);
  const items = await store.db.selectFrom("mentions").select(["message_id", "user_id"])
    .execute();
  assert.deepEqual(items, [{ message_id: storedMessage(mentioning)?.id, user_id: bob.id }]);
});

Deno.test("rooms do not wait for each other", async () => {
  const other = await createRoom(store.db, { name: "random", creator: ana });
  const [here, there] = await Promise.all([
    send(ana, "here"),
    batcher.send({
      roomId: other.id,
      authorId: ana.id,
      body: "there",
      clientId: null,
      mentions: [],
    }),
  ]);
  assert.equal(here?.seq, 1);
  assert.equal(storedMessage(there)?.seq, 1);
});
