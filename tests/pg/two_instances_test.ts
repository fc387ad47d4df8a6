// Two app instances on one real Postgres: fan-out through LISTEN/NOTIFY, and recovery when
// one instance's LISTEN connection is killed. Needs TEST_DATABASE_URL (CI always sets it).
import assert from "node:assert/strict";
import postgres from "postgres";
import { appendedIds } from "../fixtures/frames.ts";
import { anaAndBob, twoInstances } from "../fixtures/server.ts";
import { sseClient } from "../fixtures/sse.ts";
import { SERVER_URL } from "../fixtures/store.ts";
import { wsClient } from "../fixtures/ws.ts";

const options = { ignore: !SERVER_URL };

/** Instances A and B on one fresh database, with ana on A and bob on B in #shared. */
async function setUp() {
  const instances = await twoInstances();
  const { a, b } = instances;
  const { ana, bob } = await anaAndBob(a, b);
  return { ...instances, ana, bob };
}

async function storedIds(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1 });
  const rows = await sql<{ id: string }[]>`select id from messages order by seq`;
  await sql.end();
  return rows.map((r) => r.id);
}

Deno.test(
  "messages sent on either instance reach WebSocket and SSE clients on both, once, in order",
  options,
  async () => {
    await using t = await setUp();
    const wsOnA = await wsClient(t.a.base, "shared", t.ana);
    const sseOnB = await sseClient(t.b.base, "shared", t.bob);
    for (let i = 0; i < 20; i++) {
      if (i % 2) wsOnA.send({ body: `from a ${i}`, client_id: `a${i}` });
      else await t.b.post("/rooms/shared/messages", { body: `from b ${i}` }, t.bob);
    }
    await wsOnA.waitFor(20);
    await sseOnB.waitFor(20);
    const order = await storedIds(t.url);
    assert.equal(order.length, 20);
    assert.deepEqual(appendedIds(wsOnA.frames), order);
    assert.deepEqual(appendedIds(sseOnB.frames()), order);
    wsOnA.close();
    await sseOnB.close();
  },
);

Deno.test(
  "killing an instance's LISTEN connection loses nothing for its clients",
  options,
  async () => {
    await using t = await setUp();
    const admin = postgres(t.url, { max: 1 });
    await using _admin = { [Symbol.asyncDispose]: () => admin.end() };
    const wsOnB = await wsClient(t.b.base, "shared", t.bob);
    const sseOnB = await sseClient(t.b.base, "shared", t.bob);
    const sender = await wsClient(t.a.base, "shared", t.ana);
    let killed = 0;
    // Waits for B's listener to be connected again, then terminates it.
    const kill = async () => {
      for (let tries = 0; tries < 500; tries++) {
        const rows = await admin`select pg_terminate_backend(pid) as ok from pg_stat_activity
        where application_name = 'chat-listener-inst-b' and query ilike 'listen%'
          and datname = current_database()`;
        if (rows.some((r) => r.ok)) return killed++;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    for (let i = 0; i < 60; i++) {
      sender.send({ body: `flowing ${i}`, client_id: `f${i}` });
      if (i % 20 === 10) await kill();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // The last messages are sent only while B is not listening: only its catch-up on
    // re-listen can deliver them, since no later NOTIFY will wake it.
    await kill();
    for (let i = 60; i < 65; i++) sender.send({ body: `flowing ${i}`, client_id: `f${i}` });
    assert.ok(killed >= 3, `terminated B's listener ${killed} times`);
    await wsOnB.waitFor(65);
    await sseOnB.waitFor(65);
    const order = await storedIds(t.url);
    assert.equal(order.length, 65);
    assert.deepEqual(appendedIds(wsOnB.frames), order);
    assert.deepEqual(appendedIds(sseOnB.frames()), order);
    for (const c of [wsOnB, sender]) c.close();
    await sseOnB.close();
  },
);
