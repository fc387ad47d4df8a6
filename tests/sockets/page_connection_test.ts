// A page's one live connection over real sockets: the room's socket or stream also carries
// the person's own feeds, other pages hold one /feeds connection, sends are acknowledged per
// client_id, catch-up ends with #synced, and a page that may not connect is told why.
import assert from "node:assert/strict";
import { appendedBodies } from "../fixtures/frames.ts";
import { liveServer } from "../fixtures/server.ts";
import { sseClient } from "../fixtures/sse.ts";
import { waitUntil } from "../fixtures/wait.ts";
import { wsClient } from "../fixtures/ws.ts";

async function setUp() {
  const server = await liveServer();
  const { post, visit } = server;
  const ana = await server.guest("ana");
  const bob = await server.guest("bob");
  await post("/rooms", { name: "live" }, ana);
  await post("/rooms", { name: "other" }, ana);
  await visit("/rooms/live", bob);
  await visit("/rooms/other", bob);
  // Room ids, as the sidebar names its counts.
  const ids = [...(await visit("/", bob)).matchAll(/id="online-([0-9A-Z]{26})"/g)].map((m) => m[1]);
  return {
    server,
    post,
    visit,
    ana,
    bob,
    ids,
    [Symbol.asyncDispose]: server.stop,
  };
}

Deno.test(
  "a room page's one stream carries the room, the inbox badge and notices, and room counts",
  async () => {
    await using t = await setUp();
    const page = await sseClient(t.server.base, "live", t.bob, { path: "/rooms/live/events" });
    await page.close();
    const bob = await sseClient(t.server.base, "", t.bob, { path: "/rooms/live/events?feeds=1" });
    await waitUntil(() => bob.frames().some((f) => f.includes('id="inbox-badge"')), "badge");
    await waitUntil(
      () => t.ids.every((id) => bob.frames().join("").includes(`online-${id}`)),
      "counts",
    );

    await t.post("/rooms/live/messages", { body: "in the room" }, t.ana);
    await bob.waitFor(1);
    await t.post("/rooms/other/messages", { body: "elsewhere" }, t.ana);
    await waitUntil(
      () => bob.frames().some((f) => /id="unread-[0-9A-Z]{26}"[^>]*>1<span/.test(f)),
      "an unread count for the other room",
    );
    await t.post("/rooms/live/messages", { body: "/pm bob a word" }, t.ana);
    await waitUntil(
      () => bob.frames().some((f) => f.includes("notice incoming") && f.includes("a word")),
      "the inbox notice",
    );
    assert.ok(bob.frames().some((f) => /id="inbox-badge"[\s\S]*class="badge">1</.test(f)));
    assert.deepEqual(appendedBodies(bob.frames()), ["in the room"]);
    await bob.close();

    // A room-only client (no feeds=1) gets the room and nothing of the person's.
    const plain = await sseClient(t.server.base, "live", t.bob, { after: 0 });
    await plain.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(!plain.frames().some((f) => f.includes("inbox-badge") || f.includes("unread-")));
    await plain.close();
  },
);

Deno.test(
  "any other page holds one feeds connection: the badge always, room counts with rooms=1",
  async () => {
    await using t = await setUp();
    const inbox = await sseClient(t.server.base, "", t.bob, { path: "/feeds/events" });
    const lobby = await sseClient(t.server.base, "", t.bob, { path: "/feeds/events?rooms=1" });
    const overWs = await wsClient(t.server.base, "", t.bob, undefined, "/feeds/live?rooms=1");
    await waitUntil(() => inbox.frames().some((f) => f.includes('id="inbox-badge"')), "badge");
    for (const frames of [lobby.frames, () => overWs.frames]) {
      await waitUntil(() => frames().join("").includes(`online-${t.ids[0]}`), "counts");
    }
    await t.post("/rooms/live/messages", { body: "/pm bob hello" }, t.ana);
    for (const frames of [inbox.frames, lobby.frames, () => overWs.frames]) {
      await waitUntil(() => frames().some((f) => f.includes("notice incoming")), "notice");
    }
    assert.ok(!inbox.frames().join("").includes("online-"), "no room counts without rooms=1");
    await Promise.all([inbox.close(), lobby.close()]);
    overWs.close();
  },
);

Deno.test(
  "a page that may not connect is told why and ended, so it stops; other clients get the status",
  async () => {
    await using t = await setUp();
    await t.post("/rooms", { name: "secret", kind: "private" }, t.ana);
    for (const path of ["/rooms/live/events?feeds=1", "/feeds/events"]) {
      const res = await fetch(`${t.server.base}${path}`);
      assert.equal(res.status, 200, path);
      const text = await res.text();
      assert.match(text, /You are signed out/);
      assert.match(text, /event: ended\n/);
    }
    const plain = await fetch(`${t.server.base}/rooms/live/events`);
    assert.equal(plain.status, 401);
    await plain.body?.cancel();

    for (
      const [path, cookie, reason] of [
        ["/rooms/live/live?feeds=1", "", /You are signed out/],
        ["/feeds/live", "", /You are signed out/],
        ["/rooms/secret/live?feeds=1", t.bob, /private/],
      ] as const
    ) {
      const socket = await wsClient(t.server.base, "", cookie, undefined, path);
      const closed = await socket.closed;
      assert.equal(closed.code, 4403, path);
      assert.match(socket.frames.join(""), reason);
      assert.match(socket.frames.join(""), /data-ended/);
    }
  },
);

Deno.test(
  "each frame with a client_id is answered: stored, its pending copy goes; refused, the text " +
    "comes back with the reason",
  async () => {
    await using t = await setUp();
    const ana = await wsClient(t.server.base, "live", t.ana);
    ana.send({ body: "first", client_id: "c-one" });
    ana.send({ body: "second", client_id: "c-two" });
    ana.send({ body: "x".repeat(5000), client_id: "c-three" });
    // Each answer comes when its own send is settled (a refusal before a commit, maybe).
    for (const id of ["c-one", "c-two", "c-three"]) {
      await ana.waitForFrame(new RegExp(`id="pending-${id}" hx-swap-oob="delete"`));
    }
    const refused = ana.frames.find((f) => f.includes('id="pending-c-three"'))!;
    assert.match(refused, /id="composer"/);
    assert.match(refused, /class="form-error"[^>]*role="alert"/);
    await ana.waitFor(2);
    assert.deepEqual(appendedBodies(ana.frames), ["first", "second"]);
    ana.close();
  },
);

Deno.test(
  "a connection says it has caught up only after the missed messages",
  async () => {
    await using t = await setUp();
    for (const body of ["one", "two", "three"]) {
      await t.post("/rooms/live/messages", { body }, t.ana);
    }
    for (
      const open of [
        () => wsClient(t.server.base, "live", t.bob, 0),
        () => sseClient(t.server.base, "live", t.bob, { after: 0 }),
      ]
    ) {
      const client = await open();
      const frames = () =>
        "frames" in client && Array.isArray(client.frames)
          ? client.frames as string[]
          : (client.frames as () => string[])();
      await waitUntil(() => frames().some((f) => f.includes('id="synced"')), "synced");
      const synced = frames().findIndex((f) => f.includes('id="synced"'));
      assert.deepEqual(appendedBodies(frames().slice(0, synced)), ["one", "two", "three"]);
      await client.close();
    }
  },
);

Deno.test(
  "a page on SSE reports typing with a post, under the same read rule as the room",
  async () => {
    await using t = await setUp();
    const ana = await wsClient(t.server.base, "live", t.ana);
    const typed = await t.post("/rooms/live/typing", {}, t.bob);
    assert.equal(typed.status, 204);
    await ana.waitForFrame(/bob is typing/);
    await t.post("/rooms", { name: "secret", kind: "private" }, t.ana);
    const refused = await t.post("/rooms/secret/typing", {}, t.bob);
    assert.equal(refused.status, 403);
    ana.close();
  },
);
