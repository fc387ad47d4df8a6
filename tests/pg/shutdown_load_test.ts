// Stopping an instance under load takes under 5 s (Deno Deploy kills 5 s after SIGINT), tells
// every page to reconnect (1012), and does so even when the database has stopped answering.
import assert from "node:assert/strict";
import { type Cluster, startCluster } from "../fixtures/pg_cluster.ts";
import { startServer } from "../fixtures/server.ts";
import { sseClient } from "../fixtures/sse.ts";
import { wsClient } from "../fixtures/ws.ts";

/** A server on the cluster with `pages` WebSocket pages, a tenth as many SSE pages, and writers. */
async function loaded(cluster: Cluster, pages: number) {
  const server = await startServer({ DATABASE_URL: cluster.url });
  const [ana, bob] = await Promise.all([server.guest("ana"), server.guest("bob")]);
  await server.post("/rooms", { name: "r" }, ana);
  const sockets = [];
  for (let i = 0; i < pages; i++) {
    sockets.push(await wsClient(server.base, "", bob, undefined, "/rooms/r/live?feeds=1"));
  }
  const streams = [];
  for (let i = 0; i < pages / 10; i++) {
    streams.push(await sseClient(server.base, "r", bob, { path: "/rooms/r/events?feeds=1" }));
  }
  const writer = await wsClient(server.base, "r", ana);
  let n = 0;
  const sending = setInterval(() => writer.send({ body: `m${++n}`, client_id: `c${n}` }), 10);
  return { server, sockets, streams, stopSending: () => clearInterval(sending) };
}

/** Stops the server and checks the time and what the pages were told. */
async function stopAndCheck(load: Awaited<ReturnType<typeof loaded>>) {
  const began = Date.now();
  await load.server.stop();
  const took = Date.now() - began;
  load.stopSending();
  assert.ok(took < 5000, `stopping took ${took} ms`);
  const codes = await Promise.all(load.sockets.map(async (s) => (await s.closed).code));
  assert.deepEqual([...new Set(codes)], [1012], "every page is told to reconnect");
  await Promise.all(load.streams.map((s) => s.done));
  return took;
}

Deno.test(
  "an instance under load stops within 5 s and tells every page 1012",
  async () => {
    await using cluster = await startCluster({ name: "stop" });
    const load = await loaded(cluster, 200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await stopAndCheck(load);
  },
);

Deno.test(
  "an instance stops within 5 s even when its database has stopped answering",
  async () => {
    const cluster = await startCluster({ name: "frozen" });
    try {
      const load = await loaded(cluster, 50);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Every connection stays open and nothing answers: each database step would hang.
      await cluster.freeze();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await stopAndCheck(load);
    } finally {
      await cluster.thaw().catch(() => {});
      await cluster.dispose();
    }
  },
);
