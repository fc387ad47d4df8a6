// Access changes cross instances: two app instances on one real Postgres, admin actions on
// one, live connections on the other. Needs TEST_DATABASE_URL (CI always sets it).
import assert from "node:assert/strict";
import { openServer } from "../../db/connect.ts";
import { appendedBodies } from "../fixtures/frames.ts";
import { accessFixture, type Person, POSTERS, READERS } from "../fixtures/people.ts";
import { httpClient, twoInstances } from "../fixtures/server.ts";
import { sseClient } from "../fixtures/sse.ts";
import { SERVER_URL } from "../fixtures/store.ts";
import { within } from "../fixtures/wait.ts";
import { wsClient } from "../fixtures/ws.ts";

const options = { ignore: !SERVER_URL };

/** Instances A and B on one fresh database, the access fixture's people and rooms in it. */
async function setUp() {
  const instances = await twoInstances();
  const store = openServer(instances.url, { max: 2 });
  const people = await accessFixture(store.db);
  const post = (base: string, path: string, fields: Record<string, string>, p: Person) =>
    httpClient(base).post(path, fields, p.cookie);
  const stop = async () => (await store.close(), await instances.stop());
  return { ...instances, db: store.db, people, post, stop, [Symbol.asyncDispose]: stop };
}

async function opens(connect: () => Promise<{ close: () => unknown }>): Promise<boolean> {
  try {
    await (await connect()).close();
    return true;
  } catch {
    return false;
  }
}

Deno.test(
  "pages, posts, WebSocket and SSE on either instance open only for those each room lets in",
  options,
  async () => {
    await using t = await setUp();
    for (const [slug, readers] of Object.entries(READERS)) {
      for (const [name, p] of Object.entries(t.people)) {
        const want = readers.includes(name);
        const page = await fetch(`${t.b.base}/rooms/${slug}`, { headers: { cookie: p.cookie } });
        await page.body?.cancel();
        assert.equal(page.status, want ? 200 : 403, `${name} on the page of #${slug} (B)`);
        const posted = await t.post(t.a.base, `/rooms/${slug}/messages`, { body: "hi" }, p);
        const mayPost = POSTERS[slug].includes(name);
        assert.equal(posted.status, mayPost ? 303 : want ? 422 : 403, `${name} posting #${slug}`);
        const ws = await opens(() => wsClient(t.a.base, slug, p.cookie));
        const sse = await opens(() => sseClient(t.b.base, slug, p.cookie));
        assert.equal(ws, want, `${name} on #${slug} over WebSocket (instance A)`);
        assert.equal(sse, want, `${name} on #${slug} over SSE (instance B)`);
      }
    }
  },
);

Deno.test(
  "in an admin-only room a member's frame is refused with a reason while the admin's post reaches them on the other instance",
  options,
  async () => {
    await using t = await setUp();
    const { ada, mia } = t.people;
    const miaWs = await wsClient(t.a.base, "news", mia.cookie);
    const miaSse = await sseClient(t.b.base, "news", mia.cookie);
    miaWs.send({ body: "can I post?", client_id: "m1" });
    await miaWs.waitForFrame(/Only admins can post in #news/);
    assert.equal(
      (await t.post(t.a.base, "/rooms/news/messages", { body: "news" }, ada)).status,
      303,
    );
    await miaSse.waitFor(1);
    await miaWs.waitFor(1);
    assert.deepEqual(appendedBodies(miaSse.frames()), ["news"]);
    const stored = await t.db.selectFrom("messages").select("body").execute();
    assert.deepEqual(stored.map((m) => m.body), ["news"]);
    miaWs.close();
    await miaSse.close();
  },
);

Deno.test(
  "deactivating someone on one instance closes their WebSocket and SSE on the other within seconds and ends their sessions",
  options,
  async () => {
    await using t = await setUp();
    const { ada, nia } = t.people;
    const ws = await wsClient(t.b.base, "lounge", nia.cookie);
    const sse = await sseClient(t.b.base, "news", nia.cookie);
    const res = await t.post(t.a.base, `/admin/users/${nia.id}/deactivate`, {}, ada);
    assert.equal(res.status, 303);
    const closed = await within(ws.closed, 5000, "closing the WebSocket");
    assert.equal(closed.code, 4403);
    assert.equal(closed.reason, "Your account was deactivated");
    await within(sse.done, 5000, "ending the SSE stream");
    assert.ok(sse.raw.some((block) => block.startsWith("event: ended")));
    assert.ok(sse.frames().some((f) => f.includes("Your account was deactivated")));
    await assert.rejects(() => sseClient(t.b.base, "news", nia.cookie), /401/);
    await assert.rejects(() => wsClient(t.a.base, "lounge", nia.cookie));
    const page = await fetch(`${t.a.base}/`, { headers: { cookie: nia.cookie } });
    assert.match(await page.text(), /Join as guest/, "the lobby is signed out");
  },
);

Deno.test(
  "removal from a private room stops delivery on the other instance at once and a reconnect is refused",
  options,
  async () => {
    await using t = await setUp();
    const { ada, mia, nia } = t.people;
    await t.post(t.a.base, "/rooms/secret/members", { username: "nia" }, mia);
    const miaWs = await wsClient(t.b.base, "secret", mia.cookie);
    const miaSse = await sseClient(t.b.base, "secret", mia.cookie);
    const niaSse = await sseClient(t.b.base, "secret", nia.cookie);
    await t.post(t.a.base, "/rooms/secret/messages", { body: "before removal" }, nia);
    await miaWs.waitFor(1);
    await miaSse.waitFor(1);
    const room = await t.db.selectFrom("rooms").select("id").where("slug", "=", "secret")
      .executeTakeFirstOrThrow();
    const path = `/admin/rooms/${room.id}/members/${mia.id}/remove`;
    assert.equal((await t.post(t.a.base, path, {}, ada)).status, 303);
    await t.post(t.a.base, "/rooms/secret/messages", { body: "after removal" }, nia);
    await niaSse.waitFor(2);
    const closed = await within(miaWs.closed, 5000, "closing the WebSocket");
    assert.equal(closed.code, 4403);
    assert.equal(closed.reason, "You were removed from #secret");
    await within(miaSse.done, 5000, "ending the SSE stream");
    assert.deepEqual(appendedBodies(miaWs.frames), ["before removal"]);
    assert.deepEqual(appendedBodies(miaSse.frames()), ["before removal"]);
    assert.ok(miaWs.frames.some((f) => f.includes("You were removed from #secret")));
    await assert.rejects(() => sseClient(t.b.base, "secret", mia.cookie), /403/);
    await assert.rejects(() => wsClient(t.a.base, "secret", mia.cookie));
    await niaSse.close();
  },
);

Deno.test(
  "refusing guests or non-admins in a room ends their streams of it on the other instance",
  options,
  async () => {
    await using t = await setUp();
    const { ada, mia, gus } = t.people;
    const guest = await sseClient(t.b.base, "lounge", gus.cookie);
    const member = await wsClient(t.b.base, "lounge", mia.cookie);
    const admin = await sseClient(t.b.base, "lounge", ada.cookie);
    const room = await t.db.selectFrom("rooms").select("id").where("slug", "=", "lounge")
      .executeTakeFirstOrThrow();
    const change = (fields: Record<string, string>) =>
      t.post(
        t.a.base,
        `/admin/rooms/${room.id}`,
        { name: "lounge", access: "open", ...fields },
        ada,
      );
    assert.equal((await change({ read_access: "all" })).status, 303);
    await within(guest.done, 5000, "ending the guest's stream");
    assert.ok(guest.frames().some((f) => f.includes("You can no longer read #lounge")));
    assert.equal((await change({ read_access: "admins", guests_allowed: "on" })).status, 303);
    const closed = await within(member.closed, 5000, "closing the member's WebSocket");
    assert.equal(closed.code, 4403);
    await t.post(t.a.base, "/rooms/lounge/messages", { body: "admins only now" }, ada);
    await admin.waitFor(1);
    assert.deepEqual(appendedBodies(admin.frames()), ["admins only now"]);
    assert.deepEqual(appendedBodies(member.frames), []);
    await assert.rejects(() => sseClient(t.b.base, "lounge", gus.cookie), /403/);
    await admin.close();
  },
);

Deno.test(
  "turning guests off ends a guest's streams on the other instance and refuses new guests",
  options,
  async () => {
    await using t = await setUp();
    const { ada, gus } = t.people;
    const guest = await wsClient(t.b.base, "lounge", gus.cookie);
    const settings = { room_creators: "everyone" };
    assert.equal((await t.post(t.a.base, "/admin/settings", settings, ada)).status, 303);
    const closed = await within(guest.closed, 5000, "closing the guest's WebSocket");
    assert.equal(closed.code, 4403);
    await assert.rejects(() => wsClient(t.b.base, "lounge", gus.cookie));
    assert.equal((await t.b.post("/guest", { nickname: "late" })).status, 403);
  },
);
