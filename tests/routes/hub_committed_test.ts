// The sending instance pushes its own committed messages from the rows the send returned
// (Hub.storing and Hub.stored). No bus runs here, so a frame can only come from that path or from an
// explicit onEvent, which stands in for a NOTIFY.
import assert from "node:assert/strict";
import { changesSince } from "../../db/messages.ts";
import { createRoom, joinRoom } from "../../db/rooms.ts";
import type { Room, User } from "../../db/schema.ts";
import { SendBatcher } from "../../db/send_batch.ts";
import { sendMessage } from "../../db/send.ts";
import { createUser } from "../../db/users.ts";
import { Hub } from "../../live/hub.ts";
import { framesFor } from "../../views/frame.tsx";
import { storedMessage } from "../fixtures/app.ts";
import { storeForFile } from "../fixtures/store.ts";

const store = await storeForFile();
let ana: User, room: Room, hub: Hub, batcher: SendBatcher, frames: string[];

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
const send = (body: string) =>
  batcher.send({ roomId: room.id, authorId: ana.id, body, clientId: null, mentions: [] });
/** A send committed by someone else (another instance): the hub here is not told. */
const sendElsewhere = (body: string) =>
  sendMessage(store.db, { roomId: room.id, authorId: ana.id, body, clientId: null });
const bodiesIn = (html: string) => [...html.matchAll(/>(body \d+)</g)].map((m) => m[1]);

/** Subscribes at `cursor` and waits until the hub has caught the subscriber up to `until`. */
async function subscribe(cursor: number, until: number) {
  const sub = { userId: "x", cursor, send: (f: { html: string }) => frames.push(f.html) };
  hub.subscribe(room.id, { ...sub, notice: () => {}, close: () => {} });
  while (frames.length < (until > cursor ? 1 : 0)) await settle();
  await settle();
}

Deno.test.beforeEach(async () => {
  ana = await createUser(store.db, { username: "ana", passwordHash: null, role: "guest" }) as User;
  room = await createRoom(store.db, { name: "general", creator: ana });
  await joinRoom(store.db, room.id, ana.id);
  hub = new Hub(store.db);
  batcher = new SendBatcher(store.db, hub);
  frames = [];
});

Deno.test("a message pushed from the instance that committed it: is pushed before the send resolves, the same bytes a read-back renders", async () => {
  await sendElsewhere("body 1");
  await subscribe(0, 1);
  assert.equal(frames.length, 1);
  await send("body 2");
  assert.equal(frames.length, 2, "pushed without any NOTIFY or read");
  const readBack = framesFor(await changesSince(store.db, room.id, 1), 1);
  assert.deepEqual(frames.slice(1), readBack.map((f) => f.html));
  // The NOTIFY of that message then finds nothing new.
  hub.onEvent({ k: "room", r: room.id, v: 2 });
  await settle();
  assert.equal(frames.length, 2);
});

Deno.test("a message pushed from the instance that committed it: a batch committed together goes out once, in order", async () => {
  await subscribe(0, 0);
  await Promise.all(Array.from({ length: 8 }, (_, i) => send(`body ${i + 1}`)));
  const seen = frames.flatMap(bodiesIn);
  assert.deepEqual(seen, Array.from({ length: 8 }, (_, i) => `body ${i + 1}`));
  hub.onEvent({ k: "room", r: room.id, v: 8 });
  await settle();
  assert.deepEqual(frames.flatMap(bodiesIn), seen, "nothing repeated after the NOTIFY");
});

Deno.test("a message pushed from the instance that committed it: after a change it has not seen, waits for the NOTIFY and reads both in order", async () => {
  await subscribe(0, 0);
  await sendElsewhere("body 1");
  await send("body 2");
  assert.equal(frames.length, 0, "pushing body 2 alone would skip body 1");
  hub.onEvent({ k: "room", r: room.id, v: 2 });
  while (!frames.length) await settle();
  assert.deepEqual(frames.flatMap(bodiesIn), ["body 1", "body 2"]);
});

Deno.test("a message pushed from the instance that committed it: a repeated client_id is not pushed again", async () => {
  await subscribe(0, 0);
  const input = { roomId: room.id, authorId: ana.id, body: "body 1", mentions: [] };
  const first = await batcher.send({ ...input, clientId: "c1" });
  const again = await batcher.send({ ...input, clientId: "c1" });
  assert.equal(storedMessage(again)?.id, storedMessage(first)?.id);
  assert.deepEqual(frames.flatMap(bodiesIn), ["body 1"]);
});

Deno.test("a message pushed from the instance that committed it: a NOTIFY during a write here waits for it; a failed write still wakes the room", async () => {
  await subscribe(0, 0);
  hub.storing(room.id);
  await sendElsewhere("body 1");
  hub.onEvent({ k: "room", r: room.id, v: 1 });
  await settle();
  assert.equal(frames.length, 0, "held while the write is in flight");
  hub.stored(room.id, []);
  while (!frames.length) await settle();
  assert.deepEqual(frames.flatMap(bodiesIn), ["body 1"]);
});

Deno.test("a message pushed from the instance that committed it: its own NOTIFY arriving before the write returns is neither read nor sent twice", async () => {
  await subscribe(0, 0);
  hub.storing(room.id);
  const mine = await sendElsewhere("body 1");
  hub.onEvent({ k: "room", r: room.id, v: 1 });
  hub.stored(room.id, [storedMessage(mine)!]);
  assert.equal(frames.length, 1, "pushed from the rows at once");
  await settle();
  assert.deepEqual(frames.flatMap(bodiesIn), ["body 1"]);
});
