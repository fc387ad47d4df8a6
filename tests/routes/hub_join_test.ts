// Joining a room's channel: the first reader reads the table, later readers as current as the
// room's join without a read, and every reader is told when it has caught up.
import assert from "node:assert/strict";
import type { KyselyPlugin } from "kysely";
import { createRoom, joinRoom } from "../../db/rooms.ts";
import { sendMessage } from "../../db/send.ts";
import type { User } from "../../db/schema.ts";
import { createUser } from "../../db/users.ts";
import { Hub, type Subscriber } from "../../live/hub.ts";
import { storedMessage } from "../fixtures/app.ts";
import { resetData, testStore } from "../fixtures/store.ts";

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

/** A reader that records the frames it is sent and whether it was told it caught up. */
function reader(cursor: number) {
  const sub = {
    userId: "reader",
    cursor,
    frames: [] as string[],
    caught: 0,
    send(frame: { html: string }) {
      sub.frames.push(frame.html);
    },
    notice() {},
    close() {},
    caughtUp() {
      sub.caught++;
    },
  };
  return sub satisfies Subscriber;
}

Deno.test("readers joining a current room cost no read, and all are told they caught up", async () => {
  await using store = await testStore();
  await resetData(store.db);
  const ana = await createUser(store.db, { username: "ana", passwordHash: null, role: "guest" });
  const room = await createRoom(store.db, { name: "general", creator: ana as User });
  await joinRoom(store.db, room.id, (ana as User).id);
  const send = (body: string) =>
    sendMessage(store.db, { roomId: room.id, authorId: (ana as User).id, body, clientId: null });
  await send("one");
  let reads = 0;
  const counting: KyselyPlugin = {
    transformQuery: (args) => (reads++, args.node),
    transformResult: (args) => Promise.resolve(args.result),
  };
  const hub = new Hub(store.db.withPlugin(counting));

  const behind = reader(0);
  hub.subscribe(room.id, behind);
  await settle();
  assert.equal(reads, 1, "the first reader reads what it missed");
  assert.equal(behind.frames.length, 1);
  assert.equal(behind.caught, 1);

  const current = Array.from({ length: 10 }, () => reader(1));
  for (const sub of current) hub.subscribe(room.id, sub);
  await settle();
  assert.equal(reads, 1, "readers as current as the room join without a read");
  assert.deepEqual(current.map((s) => s.caught), Array(10).fill(1));

  const stored = storedMessage(await send("two"));
  hub.onEvent({ k: "room", r: room.id, v: stored!.version });
  await settle();
  for (const sub of [behind, ...current]) {
    assert.equal(sub.frames.filter((f) => f.includes(">two<")).length, 1);
  }
  const late = reader(1);
  hub.subscribe(room.id, late);
  await settle();
  assert.equal(late.frames.length, 1, "a reader behind the room is caught up from the table");
  assert.equal(late.caught, 1);
});
