// NOTIFY payloads: one typed builder (db/events.ts) whether the fields are values or columns.
import assert from "node:assert/strict";
import { sql } from "kysely";
import { type ChatEvent, eventPayload, type EventShape, parseEvent } from "../../db/events.ts";
import { createRoom } from "../../db/rooms.ts";
import type { User } from "../../db/schema.ts";
import { sendMessages } from "../../db/send.ts";
import { createUser } from "../../db/users.ts";
import { STORES, testStore } from "../fixtures/store.ts";
import { waitUntil } from "../fixtures/wait.ts";

/** One row whose columns stand for the ids, version and flag an event takes from its rows. */
const ROW = sql`(values ('r1', 7, 'u1', true)) as x(r, v, u, on_)`;

for (const kind of STORES) {
  const test = (
    name: string,
    fn: (store: Awaited<ReturnType<typeof testStore>>) => Promise<void>,
  ) =>
    Deno.test(`${name} (${kind})`, async () => {
      await using store = await testStore(kind);
      await fn(store);
    });

  test("an event built from columns has the payload the same event built from values has", async (store) => {
    const cases: [EventShape, ChatEvent][] = [
      [
        {
          k: "room",
          r: sql.ref<string>("x.r"),
          v: sql.ref<number>("x.v"),
          a: sql.ref<string>("x.u"),
        },
        { k: "room", r: "r1", v: 7, a: "u1" },
      ],
      [{ k: "room", r: sql.ref<string>("x.r"), v: 7 }, { k: "room", r: "r1", v: 7 }],
      [{ k: "user", u: sql.ref<string>("x.u"), m: "m1" }, { k: "user", u: "u1", m: "m1" }],
      [
        { k: "presence", r: sql.ref<string>("x.r"), u: "u1", on: sql.ref<boolean>("x.on_") },
        { k: "presence", r: "r1", u: "u1", on: true },
      ],
      [{ k: "access", u: sql.ref<string>("x.u"), r: "r1" }, { k: "access", u: "u1", r: "r1" }],
    ];
    for (const [shape, expected] of cases) {
      const { rows } = await sql<{ built: string; plain: string }>`
        select ${eventPayload(shape)} as built, ${eventPayload(expected)} as plain from ${ROW}`
        .execute(store.db);
      assert.deepEqual(parseEvent(rows[0].built), expected);
      assert.deepEqual(parseEvent(rows[0].plain), expected);
    }
  });

  test("a batch of sends queues one room event per message, delivered on commit", async (store) => {
    const ana = await createUser(store.db, {
      username: "ana",
      passwordHash: null,
      role: "guest",
    }) as User;
    const room = await createRoom(store.db, { name: "general", creator: ana });
    const events: ChatEvent[] = [];
    // The server bus reports its LISTEN once it holds: send only after that.
    const listening = Promise.withResolvers<void>();
    await store.bus.start({ onEvent: (event) => events.push(event), onListen: listening.resolve });
    await listening.promise;
    const input = (body: string) => ({ authorId: ana.id, body, clientId: null });
    await sendMessages(store.db, room.id, [input("one"), input("two"), input("three")]);
    await waitUntil(() => events.filter((e) => e.k === "room").length === 3, "three room events");
    const base = room.version;
    assert.deepEqual(
      events.filter((e) => e.k === "room"),
      [1, 2, 3].map((n) => ({
        k: "room",
        r: room.id,
        v: base + n,
        a: ana.id,
      })),
    );
    await store.bus.stop();
  });
}
