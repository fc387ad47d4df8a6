import assert from "node:assert/strict";
import { searchMessages } from "../../db/search.ts";
import { appForFile, sessionCookie } from "../fixtures/app.ts";

const t = await appForFile();
let ana = "", bob = "";

const { request } = t;
const search = async (q: string, cookie = bob) =>
  await request(`/search?q=${encodeURIComponent(q)}`, undefined, { cookie });
const hrefs = (html: string) =>
  [...html.matchAll(/<li class="hit"><a href="\/rooms\/[^/]+\/messages\/([0-9A-Z]+)"/g)]
    .map((m) => m[1]);

async function sent(body: string, room = "general", cookie = ana): Promise<string> {
  await request(`/rooms/${room}/messages`, { body }, { cookie });
  const row = await t.deps.db.selectFrom("messages").innerJoin("rooms", "rooms.id", "room_id")
    .select("messages.id").where("slug", "=", room).orderBy("seq", "desc")
    .executeTakeFirstOrThrow();
  return row.id;
}
async function privateRoom(name: string) {
  await request("/rooms", { name }, { cookie: ana });
  await t.deps.db.updateTable("rooms").set({ kind: "private" }).where("slug", "=", name).execute();
}

Deno.test.beforeEach(async () => {
  ana = sessionCookie(await request("/guest", { nickname: "ana" }));
  bob = sessionCookie(await request("/guest", { nickname: "bob" }));
  await request("/rooms", { name: "general" }, { cookie: ana });
});

Deno.test("finds messages in open rooms and in private rooms only for their members", async () => {
  const open = await sent("the deploy finished");
  await privateRoom("secret");
  const hidden = await sent("the secret deploy plan", "secret");
  assert.deepEqual(hrefs(await (await search("deploy")).text()), [open]);
  const mine = hrefs(await (await search("deploy", ana)).text());
  assert.deepEqual(mine.toSorted(), [open, hidden].toSorted());
  const bobId = (await t.deps.db.selectFrom("users").select("id").where("username", "=", "bob")
    .executeTakeFirstOrThrow()).id;
  const direct = await searchMessages(t.deps.db, { userId: bobId, query: "secret plan" });
  assert.deepEqual(direct, []);
});

Deno.test("ranks better matches first and highlights the matched words", async () => {
  const once = await sent("a database migration is planned");
  const twice = await sent("Database backups: the database is backed up nightly");
  const html = await (await search("database")).text();
  assert.deepEqual(hrefs(html), [twice, once]);
  assert.match(html, /<mark>Database<\/mark> backups: the <mark>database<\/mark>/);
  const stemmed = await (await search("backing")).text();
  assert.match(stemmed, /<mark>backups<\/mark>|<mark>backed<\/mark>/);
});

Deno.test("skips deleted messages and understands web search syntax", async () => {
  const kept = await sent("release notes for friday");
  const gone = await sent("release party on friday");
  await request(`/rooms/general/messages/${gone}/delete`, {}, { cookie: ana });
  assert.deepEqual(hrefs(await (await search("release")).text()), [kept]);
  const other = await sent("release checklist");
  assert.deepEqual(hrefs(await (await search('release -"friday"')).text()), [other]);
  assert.deepEqual(hrefs(await (await search('"notes for friday"')).text()), [kept]);
});

Deno.test("an empty query shows the form; a long one is refused with a reason", async () => {
  const empty = await search("");
  assert.equal(empty.status, 200);
  const html = await empty.text();
  assert.match(html, /<form class="search" method="get" action="\/search"/);
  assert.doesNotMatch(html, /class="hits"|No messages match/);
  const long = await search("x".repeat(201));
  assert.equal(long.status, 422);
  assert.match(await long.text(), /Search is too long \(201 of 200 characters\)/);
  const none = await (await search("nothingmatchesthis")).text();
  assert.match(none, /No messages match “nothingmatchesthis”/);
});

Deno.test("a search result links to the permalink, which opens the room at the message", async () => {
  const id = await sent("find me later");
  for (let i = 0; i < 60; i++) await sent(`filler ${i}`);
  const html = await (await search("find")).text();
  assert.ok(html.includes(`href="/rooms/general/messages/${id}"`));
  const res = await request(`/rooms/general/messages/${id}`, undefined, { cookie: bob });
  assert.equal(res.status, 303);
  assert.match(
    res.headers.get("location")!,
    new RegExp(`^/rooms/general\\?before=\\d+#m-${id}$`),
  );
});

Deno.test("signing in is required", async () => {
  const res = await request("/search?q=x", undefined, {});
  assert.equal(res.status, 401);
});
