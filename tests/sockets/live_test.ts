import assert from "node:assert/strict";
import { appendedBodies, lastCursor } from "../fixtures/frames.ts";
import { anaAndBob, liveServer } from "../fixtures/server.ts";
import { sseClient } from "../fixtures/sse.ts";
import { wsClient } from "../fixtures/ws.ts";

Deno.test("a live room over real sockets", async (t) => {
  await using server = await liveServer({ SEND_RATE: "5" });
  const { post } = server;
  const { ana, bob } = await anaAndBob(server, server, "live");

  await t.step(
    "a frame sent over WebSocket reaches WebSocket and SSE subscribers once",
    async () => {
      const a = await wsClient(server.base, "live", ana);
      const b = await sseClient(server.base, "live", bob);
      a.send({ body: "hello over ws", client_id: "w1", HEADERS: { "HX-Request": "true" } });
      await a.waitFor(1);
      await b.waitFor(1);
      assert.deepEqual(appendedBodies(a.frames), ["hello over ws"]);
      assert.deepEqual(appendedBodies(b.frames()), ["hello over ws"]);
      const event = b.events.find((e) => e.data.includes("hello over ws"))!;
      assert.match(event.data, /<div id="cursor" data-version="(\d+)"/);
      assert.equal(event.id, event.data.match(/data-version="(\d+)"/)![1]);
      assert.match(b.raw[0], /^retry: \d+/);
      a.close();
      await b.close();
    },
  );

  await t.step(
    "a client that reconnects with an old cursor receives exactly what it missed",
    async () => {
      const probe = await wsClient(server.base, "live", ana);
      probe.send({ body: "before the gap" });
      await probe.waitFor(1);
      const cursor = lastCursor(probe.frames);
      probe.close();
      for (const body of ["missed one", "missed two", "missed three"]) {
        await post("/rooms/live/messages", { body }, bob);
      }
      const again = await wsClient(server.base, "live", ana, cursor);
      await again.waitFor(3);
      assert.deepEqual(appendedBodies(again.frames), ["missed one", "missed two", "missed three"]);
      const sse = await sseClient(server.base, "live", bob, { lastEventId: cursor });
      await sse.waitFor(3);
      assert.deepEqual(appendedBodies(sse.frames()), ["missed one", "missed two", "missed three"]);
      const byQuery = await sseClient(server.base, "live", bob, { after: cursor + 2 });
      await byQuery.waitFor(1);
      assert.deepEqual(appendedBodies(byQuery.frames()), ["missed three"]);
      again.close();
      await sse.close();
      await byQuery.close();
    },
  );

  await t.step("a frame over 16 KB closes the socket with 1009 and stores nothing", async () => {
    const a = await wsClient(server.base, "live", ana);
    a.send({ body: "x".repeat(17 * 1024) });
    assert.equal((await a.closed).code, 1009);
  });

  await t.step(
    "an invalid body over WebSocket comes back as the composer with the reason and the text",
    async () => {
      const a = await wsClient(server.base, "live", ana);
      a.send({ body: "   " });
      await a.waitForFrame(/Message is empty/);
      // Presence frames (the online list) may arrive around it: look at the composer's frame.
      const frame = a.frames.find((f) => /Message is empty/.test(f))!;
      assert.match(frame, /<form id="composer"[^>]*hx-swap-oob="true"/);
      a.close();
    },
  );

  await t.step(
    "a sender over the rate limit gets a slow-down notice and nothing is stored",
    async () => {
      const a = await wsClient(server.base, "live", bob);
      for (let i = 0; i < 30; i++) a.send({ body: `flood ${i}` });
      a.send({ body: "after the flood" });
      await a.waitForFrame(/Slow down/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const page = await fetch(`${server.base}/rooms/live`, { headers: { cookie: bob } });
      const flood = [...new Set((await page.text()).match(/flood \d+/g))];
      assert.ok(flood.length > 0 && flood.length < 30, `stored ${flood.length} of 30`);
      const order = flood.map((f) => Number(f.slice(6)));
      assert.deepEqual(order, order.toSorted((x, y) => x - y), "stored in the order sent");
      a.close();
    },
  );

  await t.step("the sender's identity comes from the session, never the frame", async () => {
    const a = await wsClient(server.base, "live", ana);
    a.send({ body: "who am i", author_id: "someone-else", username: "bob" });
    await a.waitFor(1);
    assert.match(a.frames.find((f) => f.includes("who am i"))!, /title="@ana"/);
    a.close();
  });

  const upgrade = (origin: string, cookie: string) =>
    fetch(`${server.base}/rooms/live/live`, {
      headers: {
        origin,
        cookie,
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-version": "13",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      },
    });

  await t.step("an upgrade from a foreign Origin is refused with 403, never 101", async () => {
    const res = await upgrade("https://evil.example", ana);
    assert.equal(res.status, 403);
    await res.body?.cancel();
  });

  await t.step("an upgrade or event stream without a session is refused with 401", async () => {
    const res = await upgrade(server.base, "");
    assert.equal(res.status, 401);
    await res.body?.cancel();
    const sse = await fetch(`${server.base}/rooms/live/events`);
    assert.equal(sse.status, 401);
    await sse.body?.cancel();
  });

  await t.step("an event stream requested from a foreign Origin is refused", async () => {
    const res = await fetch(`${server.base}/rooms/live/events`, {
      headers: { cookie: ana, origin: "https://evil.example" },
    });
    assert.equal(res.status, 403);
    await res.body?.cancel();
  });
});
