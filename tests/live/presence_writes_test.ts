// Presence counts are written in batches: a crowd arriving at once costs a few transactions,
// each person comes online once (with the first of their connections), and closes count down.
import assert from "node:assert/strict";
import type { KyselyPlugin } from "kysely";
import { onlineIn } from "../../db/presence.ts";
import { createRoom } from "../../db/rooms.ts";
import type { User } from "../../db/schema.ts";
import { createUser } from "../../db/users.ts";
import { PresenceWrites } from "../../live/presence_writes.ts";
import { resetData, STORES, testStore } from "../fixtures/store.ts";

for (const kind of STORES) {
  Deno.test(`a crowd arriving at once is counted in a few statements (${kind})`, async () => {
    await using store = await testStore(kind);
    await resetData(store.db);
    const people: User[] = [];
    for (let i = 0; i < 100; i++) {
      people.push(
        await createUser(store.db, {
          username: `p${i}`,
          passwordHash: null,
          role: "guest",
        }) as User,
      );
    }
    const room = await createRoom(store.db, { name: "crowd", creator: people[0] });
    let statements = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => (statements++, args.node),
      transformResult: (args) => Promise.resolve(args.result),
    };
    const writes = new PresenceWrites(store.db.withPlugin(counting), "here");

    // Everyone arrives in one turn, one of them with a second tab.
    const arrivals = people.map((p) => writes.opened(room.id, p.id));
    const secondTab = writes.opened(room.id, people[0].id);
    const joined = await Promise.all(arrivals);
    assert.deepEqual(joined, Array(100).fill(true), "each person comes online once");
    assert.equal(await secondTab, false, "a second tab does not come online again");
    assert.ok(statements <= 12, `${statements} statements for 101 connections`);
    assert.equal((await onlineIn(store.db, room.id)).total, 100);

    // The second tab closing leaves the person online; their last one takes them offline.
    await writes.closed(room.id, people[0].id);
    assert.equal((await onlineIn(store.db, room.id)).total, 100);
    await Promise.all(people.map((p) => writes.closed(room.id, p.id)));
    assert.equal((await onlineIn(store.db, room.id)).total, 0);
    const rows = await store.db.selectFrom("presence").selectAll().execute();
    assert.deepEqual(rows, []);
  });
}

Deno.test("one change that cannot be written (a room gone) does not stop the others", async () => {
  await using store = await testStore();
  await resetData(store.db);
  const ana = await createUser(store.db, { username: "ana", passwordHash: null, role: "guest" });
  const bob = await createUser(store.db, { username: "bob", passwordHash: null, role: "guest" });
  const room = await createRoom(store.db, { name: "here", creator: ana as User });
  const writes = new PresenceWrites(store.db, "here");
  const fine = writes.opened(room.id, (ana as User).id);
  const gone = writes.opened("01NOSUCHROOM0000000000000", (bob as User).id);
  assert.equal(await fine, true);
  await assert.rejects(gone);
  assert.equal((await onlineIn(store.db, room.id)).total, 1);
});
