// A client_id belongs to one send: one room, one body. A retry gets the stored message; the
// same id with another room or another body is refused, and no room's readers are ever sent
// another room's message.
import assert from "node:assert/strict";
import { ClientIdReused, sendMessage } from "../../db/send.ts";
import { requester, testApp } from "../fixtures/app.ts";
import { accessFixture, room } from "../fixtures/people.ts";
import { readSse } from "../fixtures/sse.ts";
import { resetData, STORES } from "../fixtures/store.ts";
import { waitUntil } from "../fixtures/wait.ts";
import { SendBatcher } from "../../db/send_batch.ts";
import { Hub } from "../../live/hub.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

for (const kind of STORES) {
  const t = await testApp({}, kind);
  const request = requester(t.app);

  /** Ids of the messages of a room, in order. */
  const idsIn = async (slug: string) =>
    (await t.deps.db.selectFrom("messages").innerJoin("rooms", "rooms.id", "room_id")
      .select("messages.id").where("slug", "=", slug).orderBy("seq").execute()).map((r) => r.id);

  Deno.test({
    name: `a client_id reused in another room is refused and never reaches that room (${kind})`,
    ...options,
    async fn() {
      await resetData(t.deps.db);
      const { mia, nia } = await accessFixture(t.deps.db);
      await room(t.deps.db, "plans", { kind: "private", members: [mia] });
      await room(t.deps.db, "chat", { members: [mia, nia] });
      const post = (slug: string, body: string, client_id: string) =>
        request(`/rooms/${slug}/messages`, { body, client_id }, {
          cookie: mia.cookie,
          "hx-request": "true",
        });
      const stream = readSse(
        await request("/rooms/chat/events", undefined, { cookie: nia.cookie }),
      );
      try {
        assert.equal((await post("plans", "the private plan", "id-1")).status, 200);
        const reused = await post("chat", "the private plan", "id-1");
        assert.equal(reused.status, 422);
        assert.match(await reused.text(), /client_id was already used for another message/);
        const next = await post("chat", "hello chat", "id-2");
        assert.equal(next.status, 200);
        const [hello] = await idsIn("chat");
        await stream.waitFor(new RegExp(`m-${hello}`), "the next real message in #chat");
        const shown = stream.frames().join("\n");
        assert.doesNotMatch(shown, /the private plan/, "#chat readers never see #plans");
        const [plan] = await idsIn("plans");
        assert.ok(!shown.includes(plan));
        // A resume from the start finds the chat's one message and nothing else.
        const resumed = await request("/rooms/chat/messages?before=99", undefined, {
          cookie: nia.cookie,
          "hx-request": "true",
        });
        const history = await resumed.text();
        assert.match(history, /hello chat/);
        assert.doesNotMatch(history, /the private plan/);
      } finally {
        await stream.close();
      }
    },
  });

  Deno.test({
    name: `a retry returns the stored message; the same id with another body is refused (${kind})`,
    ...options,
    async fn() {
      await resetData(t.deps.db);
      const { mia } = await accessFixture(t.deps.db);
      const chat = await room(t.deps.db, "chat", { members: [mia] });
      const other = await room(t.deps.db, "other", { members: [mia] });
      const send = (roomId: string, body: string) =>
        sendMessage(t.deps.db, { roomId, authorId: mia.id, body, clientId: "same" });
      const first = await send(chat.id, "hello");
      const again = await send(chat.id, "hello");
      assert.ok(first && !(first instanceof ClientIdReused));
      assert.ok(again && !(again instanceof ClientIdReused));
      assert.equal(again.id, first.id, "a retry is the stored message");
      assert.ok((await send(chat.id, "hello, edited on the way")) instanceof ClientIdReused);
      assert.ok((await send(other.id, "hello")) instanceof ClientIdReused);
      assert.deepEqual(await idsIn("chat"), [first.id]);
      assert.deepEqual(await idsIn("other"), []);
    },
  });

  Deno.test({
    name: `the hub never delivers a row to a room it does not belong to (${kind})`,
    ...options,
    async fn() {
      await resetData(t.deps.db);
      const { mia } = await accessFixture(t.deps.db);
      const x = await room(t.deps.db, "x", { members: [mia] });
      const y = await room(t.deps.db, "y", { members: [mia] });
      const hub = new Hub(t.deps.db);
      const frames: string[] = [];
      const sub = { userId: mia.id, cursor: 0, notice() {}, close() {} };
      hub.subscribe(y.id, { ...sub, send: (frame: { html: string }) => frames.push(frame.html) });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const stray = await sendMessage(t.deps.db, {
        roomId: x.id,
        authorId: mia.id,
        body: "meant for x",
        clientId: null,
      });
      assert.ok(stray && !(stray instanceof ClientIdReused));
      hub.storing(y.id);
      hub.stored(y.id, [stray]);
      const batcher = new SendBatcher(t.deps.db, hub);
      const real = await batcher.send({
        roomId: y.id,
        authorId: mia.id,
        body: "meant for y",
        clientId: null,
        mentions: [],
      });
      assert.ok(real && !(real instanceof ClientIdReused));
      await waitUntil(() => frames.some((f) => f.includes(real.id)), "y's own message");
      assert.ok(!frames.join("").includes("meant for x"));
    },
  });

  Deno.test({ name: `closing the ${kind} store`, ...options, fn: () => t.close() });
}
