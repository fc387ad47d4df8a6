// Postgres restarting under write load, on a private cluster: two instances keep serving, every
// acknowledged message reaches every reader once and in order, and writes during the outage
// are refused with a reason, never lost quietly.
import assert from "node:assert/strict";
import { formInit } from "../fixtures/app.ts";
import { appendedBodies } from "../fixtures/frames.ts";
import { startCluster } from "../fixtures/pg_cluster.ts";
import { startServer } from "../fixtures/server.ts";
import { sseClient } from "../fixtures/sse.ts";
import { waitUntil } from "../fixtures/wait.ts";
import { wsClient } from "../fixtures/ws.ts";

/** A writer on one instance: sends numbered frames and records which the server acknowledged. */
async function writer(base: string, cookie: string, name: string) {
  const socket = await wsClient(base, "r", cookie);
  const acked: string[] = [];
  const refused: string[] = [];
  let sent = 0;
  const timer = setInterval(() => {
    const body = `${name}-${++sent}`;
    socket.send({ body, client_id: `c-${body}` });
  }, 15);
  const answers = () => {
    acked.length = refused.length = 0;
    for (const frame of socket.frames) {
      const id = /id="pending-c-([a-z]+-\d+)"/.exec(frame)?.[1];
      if (id) (frame.includes('id="composer"') ? refused : acked).push(id);
    }
  };
  return {
    stop: () => clearInterval(timer),
    sent: () => sent,
    answers: () => (answers(), { acked: [...acked], refused: [...refused], frames: socket.frames }),
    close: () => socket.close(),
  };
}

Deno.test(
  "Postgres restarting (fast, then immediate) under writes on two instances loses nothing",
  async () => {
    await using cluster = await startCluster({ name: "restart" });
    const env = { DATABASE_URL: cluster.url, SEND_RATE: "1000" };
    await using a = await startServer({ ...env, INSTANCE_ID: "a" });
    await using b = await startServer({ ...env, INSTANCE_ID: "b" });
    const [ana, bob, cy, dee] = await Promise.all([
      a.guest("ana"),
      b.guest("bob"),
      a.guest("cy"),
      b.guest("dee"),
    ]);
    await a.post("/rooms", { name: "r" }, ana);
    const wsReader = await wsClient(a.base, "r", cy, 0);
    const sseReader = await sseClient(b.base, "r", dee, { after: 0 });
    const frames: (() => string[])[] = [() => wsReader.frames, () => sseReader.frames()];
    const writers = [await writer(a.base, ana, "ana"), await writer(b.base, bob, "bob")];

    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await pause(800);
    await cluster.restart("fast");
    await pause(1500);
    await cluster.restart("immediate");
    await pause(1500);
    for (const w of writers) w.stop();

    // Every frame is answered, stored or refused.
    await waitUntil(
      () =>
        writers.every((w) => {
          const { acked, refused } = w.answers();
          return acked.length + refused.length === w.sent();
        }),
      "an answer to every frame",
      20_000,
    );
    const acked = writers.flatMap((w) => w.answers().acked);
    assert.ok(acked.length > 50, `only ${acked.length} messages were stored`);
    for (const w of writers) {
      for (const frame of w.answers().frames) {
        if (frame.includes('id="composer"')) {
          assert.match(frame, /cannot store messages right now/);
        }
      }
    }
    // Every acknowledged message reaches both readers, once, each writer's in its order.
    for (const [i, shown] of frames.entries()) {
      await waitUntil(
        () => acked.every((body) => appendedBodies(shown()).includes(body)),
        `every acknowledged message at reader ${i}`,
        20_000,
      );
      const bodies = appendedBodies(shown());
      assert.equal(new Set(bodies).size, bodies.length, `reader ${i} got a message twice`);
      for (const name of ["ana", "bob"]) {
        const own = bodies.filter((body) => body.startsWith(`${name}-`));
        const order = own.map((body) => Number(body.split("-")[1]));
        assert.deepEqual(order, [...order].sort((x, y) => x - y), `${name}'s order at ${i}`);
        // A refused frame may still have been stored (its commit landed as the connection
        // broke); the page sends it again with the same client_id, which stores it once.
        assert.ok(order.every((n) => n >= 1 && n <= writers[0].sent() + writers[1].sent()));
      }
    }
    // Both instances stayed up and report the database healthy again.
    for (const server of [a, b]) {
      let status = 0;
      for (let tries = 0; status !== 200 && tries < 50; tries++) {
        const health = await fetch(`${server.base}/healthz`);
        status = health.status;
        await health.body?.cancel();
        if (status !== 200) await pause(200);
      }
      assert.equal(status, 200, `${server.base} is healthy again`);
    }
    for (const w of writers) w.close();
    wsReader.close();
    await sseReader.close();
  },
);

Deno.test(
  "while the database is away, sends are refused with the reason and the text back, and " +
    "health reports it and recovers by itself",
  async () => {
    await using cluster = await startCluster({ name: "away" });
    await using server = await startServer({ DATABASE_URL: cluster.url });
    const ana = await server.guest("ana");
    await server.post("/rooms", { name: "r" }, ana);
    const socket = await wsClient(server.base, "r", ana);

    await cluster.stop("fast");
    const health = await fetch(`${server.base}/healthz`);
    assert.equal(health.status, 503);
    await health.body?.cancel();
    const post = await fetch(
      `${server.base}/rooms/r/messages`,
      formInit({ body: "typed while away" }, {
        origin: server.base,
        cookie: ana,
        "hx-request": "true",
      }),
    );
    // The session cannot even be looked up: refused with the reason, never a 500.
    assert.equal(post.status, 503);
    assert.match(await post.text(), /cannot store messages right now; nothing was lost/);
    socket.send({ body: "framed while away", client_id: "away-1" });
    await socket.waitForFrame(/id="pending-away-1"/);
    const reply = socket.frames.find((f) => f.includes('id="pending-away-1"'))!;
    assert.match(reply, /cannot store messages right now/);
    assert.match(reply, /framed while away<\/textarea>/);

    await cluster.start();
    let status = 0;
    for (let tries = 0; status !== 200 && tries < 50; tries++) {
      const again = await fetch(`${server.base}/healthz`);
      status = again.status;
      await again.body?.cancel();
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(status, 200, "healthy again without a restart");
    socket.send({ body: "framed after", client_id: "away-2" });
    await socket.waitFor(1);
    assert.deepEqual(appendedBodies(socket.frames), ["framed after"]);
    socket.close();
  },
);
