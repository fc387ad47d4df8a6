import assert from "node:assert/strict";
import { createRoom } from "../../db/rooms.ts";
import { findUserByName } from "../../db/users.ts";
import { appForFile, sessionCookie } from "../fixtures/app.ts";
import { readInbox } from "../fixtures/sse.ts";

const t = await appForFile();
const { request } = t;
let ana = "", bob = "", cy = "";
Deno.test.beforeEach(async () => {
  [ana, bob, cy] = await Promise.all(
    ["ana", "bob", "cy"].map(async (n) => sessionCookie(await request("/guest", { nickname: n }))),
  );
  await request("/rooms", { name: "general" }, { cookie: ana });
  await request("/rooms/general", undefined, { cookie: bob });
});

const post = (cookie: string, body: string, room = "general") =>
  request(`/rooms/${room}/messages`, { body }, { cookie });
const page = async (path: string, cookie: string) =>
  await (await request(path, undefined, { cookie })).text();
async function inbox(cookie: string, path = "/inbox/events") {
  const stream = readInbox(await request(path, undefined, { cookie }));
  await stream.waitForBadge(0);
  return stream;
}
const mentions = async () =>
  await t.deps.db.selectFrom("mentions").innerJoin("users", "users.id", "mentions.user_id")
    .select("users.username").execute();
/** Lets any stray event arrive before asserting that none did. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

Deno.test("a mention creates an inbox item and a live notice for the mentioned person only", async () => {
  const [b, c, a] = [await inbox(bob), await inbox(cy), await inbox(ana)];
  await post(ana, "hi @bob, and @ana too");
  await b.waitForBadge(1);
  await b.waitForNotice(/ana in #general: hi @bob, and @ana too/);
  assert.match(b.notices()[0], /href="\/rooms\/general\/messages\/[0-9A-Z]{26}"/);
  await settle();
  assert.deepEqual(c.events.length, 1, "cy hears nothing");
  assert.deepEqual(a.notices(), [], "nobody is notified of their own mention");
  assert.deepEqual(await mentions(), [{ username: "bob" }]);
  const list = await page("/inbox", bob);
  assert.match(list, /<a href="\/rooms\/general\/messages\/[0-9A-Z]{26}">ana in #general<\/a>/);
  assert.match(list, /hi @bob, and @ana too/);
  for (const s of [a, b, c]) await s.close();
});

Deno.test("a retried send (same client_id) mentions once and notifies once", async () => {
  const b = await inbox(bob);
  const retry = () =>
    request("/rooms/general/messages", { body: "@bob once", client_id: "m-1" }, {
      cookie: ana,
    });
  await Promise.all([retry(), retry(), retry()]);
  await b.waitForBadge(1);
  await settle();
  assert.deepEqual(await mentions(), [{ username: "bob" }]);
  assert.equal(b.notices().length, 1);
  assert.deepEqual(b.badges().filter((n) => n > 1), []);
  await b.close();
});

Deno.test("nobody is notified of a mention in a room they cannot read", async () => {
  const owner = (await findUserByName(t.deps.db, "ana"))!;
  await createRoom(t.deps.db, { name: "secret", kind: "private", creator: owner });
  const c = await inbox(cy);
  assert.equal((await post(ana, "@cy look at this", "secret")).status, 303);
  await settle();
  assert.deepEqual(await mentions(), []);
  assert.equal(c.events.length, 1);
  assert.doesNotMatch(await page("/inbox", cy), /look at this/);
  await c.close();
});

Deno.test("the badge and the room index count go up and back to zero after opening", async () => {
  const b = await inbox(bob);
  await post(ana, "plain news");
  await post(ana, "@bob see this");
  await post(ana, "/pm bob psst");
  await b.waitForBadge(2);
  const index = await page("/", bob);
  assert.match(
    index,
    /#general<\/a>.*?class="unread"[^>]*>2<span class="label"> unread<\/span>/s,
  );
  const list = await page("/inbox", bob);
  assert.match(list, /<a href="\/dm\/ana">ana<\/a><span class="unread">1 unread<\/span>/);
  await page("/rooms/general", bob);
  await b.waitForBadge(1);
  assert.doesNotMatch(await page("/", bob), /class="unread"[^>]*>\d/);
  await page("/dm/ana", bob);
  await b.waitForBadge(0);
  assert.doesNotMatch(await page("/inbox", bob), /unread<\/span>/);
  await b.close();
});

Deno.test("a read marker from a page showing the room keeps new messages from counting", async () => {
  await post(ana, "@bob one");
  await post(ana, "@bob two");
  const s = readInbox(await request("/inbox/events", undefined, { cookie: bob }));
  await s.waitForBadge(2);
  const read = (version: string) => request("/rooms/general/read", { version }, { cookie: bob });
  assert.equal((await read("1")).status, 204);
  await s.waitForBadge(1);
  assert.equal((await read("2")).status, 204);
  await s.waitForBadge(0);
  assert.doesNotMatch(await page("/", bob), /class="unread"[^>]*>\d/);
  await s.close();
});

Deno.test("the inbox and its stream serve only the session user, whatever the URL asks", async () => {
  const noSession = await request("/inbox/events", undefined, { accept: "text/event-stream" });
  assert.equal(noSession.status, 401);
  assert.equal((await request("/inbox", undefined, { accept: "text/html" })).status, 303);
  const bobId = (await findUserByName(t.deps.db, "bob"))!.id;
  const a = await inbox(ana, `/inbox/events?user=${bobId}&u=${bobId}`);
  const b = await inbox(bob);
  await post(cy, "/pm bob for bob only");
  await b.waitForBadge(1);
  await b.waitForNotice(/cy: for bob only/);
  await settle();
  assert.equal(a.events.length, 1, "ana's stream carries only her own first badge");
  assert.doesNotMatch(await page(`/inbox?user=${bobId}`, ana), /for bob only/);
  assert.match(await page("/inbox", bob), /for bob only/);
  for (const s of [a, b]) await s.close();
});

Deno.test("someone outside a direct conversation cannot read, post to or subscribe to it", async () => {
  await post(ana, "/pm bob between us");
  const room = await t.deps.db.selectFrom("rooms").selectAll().where("kind", "=", "direct")
    .executeTakeFirstOrThrow();
  const message = await t.deps.db.selectFrom("messages").select("id").executeTakeFirstOrThrow();
  const base = `/rooms/${encodeURIComponent(room.slug)}`;
  const attempts = [
    await request(base, undefined, { cookie: cy }),
    await request(`${base}/messages`, undefined, { cookie: cy, "hx-request": "true" }),
    await request(`${base}/messages/${message.id}`, undefined, { cookie: cy }),
    await request(`${base}/messages`, { body: "let me in" }, { cookie: cy }),
    await request(`${base}/messages`, { body: "x" }, { cookie: cy, "hx-request": "true" }),
    await request(`${base}/read`, { version: "1" }, { cookie: cy }),
    await request(`${base}/events`, undefined, { cookie: cy }),
    await request(`${base}/live`, undefined, {
      cookie: cy,
      upgrade: "websocket",
      connection: "Upgrade",
      origin: "http://localhost",
      "sec-websocket-version": "13",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
    }),
  ];
  for (const res of attempts) {
    assert.equal(res.status, 404, res.url);
    assert.doesNotMatch(await res.text(), /between us/);
  }
  const bodies = await t.deps.db.selectFrom("messages").select("body").execute();
  assert.deepEqual(bodies, [{ body: "between us" }]);
  const members = await t.deps.db.selectFrom("memberships").select("user_id")
    .where("room_id", "=", room.id).execute();
  assert.equal(members.length, 2, "nobody joined by trying");
  // Its members do get in.
  assert.equal((await request(base, undefined, { cookie: bob })).status, 200);
});
