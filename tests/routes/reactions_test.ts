import assert from "node:assert/strict";
import type { KyselyPlugin } from "kysely";
import { listMessages, type MessageView } from "../../db/messages.ts";
import { emojiProblem } from "../../db/reactions.ts";
import { Reactions } from "../../views/reactions.tsx";
import { appForFile, sessionCookie } from "../fixtures/app.ts";

const t = await appForFile();
let ana = "", bob = "";

const { request } = t;
const reactions = () => t.deps.db.selectFrom("reactions").selectAll().execute();
const roomVersion = async (slug = "general") =>
  (await t.deps.db.selectFrom("rooms").select("version").where("slug", "=", slug)
    .executeTakeFirstOrThrow()).version;

async function sent(body: string, room = "general", cookie = ana): Promise<string> {
  await request(`/rooms/${room}/messages`, { body }, { cookie });
  const row = await t.deps.db.selectFrom("messages").innerJoin("rooms", "rooms.id", "room_id")
    .select("messages.id").where("slug", "=", room).orderBy("seq", "desc")
    .executeTakeFirstOrThrow();
  return row.id;
}
const react = (id: string, emoji: string, cookie = ana, headers = {}, room = "general") =>
  request(`/rooms/${room}/messages/${id}/reactions`, { emoji }, { cookie, ...headers });

Deno.test.beforeEach(async () => {
  ana = sessionCookie(await request("/guest", { nickname: "ana" }));
  bob = sessionCookie(await request("/guest", { nickname: "bob" }));
  await request("/rooms", { name: "general" }, { cookie: ana });
  await request("/rooms/general", undefined, { cookie: bob });
});

Deno.test("a quick reaction toggles on and off, showing the count and who reacted", async () => {
  const id = await sent("ship it");
  const start = await roomVersion();
  const res = await react(id, "👍");
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), `/rooms/general#m-${id}`);
  assert.equal((await react(id, "👍", bob)).status, 303);
  const message = await t.deps.db.selectFrom("messages").select("version")
    .where("id", "=", id).executeTakeFirstOrThrow();
  assert.equal(await roomVersion(), start + 2);
  assert.equal(message.version, start + 2);
  const html = await (await request("/rooms/general", undefined, { cookie: bob })).text();
  assert.match(
    html,
    /<button type="submit" name="emoji" value="👍" title="ana, bob">👍 2<\/button>/,
  );
  await react(id, "👍");
  assert.deepEqual((await reactions()).map((r) => r.emoji), ["👍"]);
  const again = await (await request("/rooms/general", undefined, { cookie: bob })).text();
  assert.match(again, /title="bob">👍 1</);
});

Deno.test("htmx gets the message fragment that replaces itself by id", async () => {
  const id = await sent("fragment please");
  const res = await react(id, "🎉", ana, { "hx-request": "true" });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("vary"), "HX-Request");
  const html = await res.text();
  assert.match(html, new RegExp(`^<article id="m-${id}"[^>]*hx-swap-oob="true"`));
  assert.match(html, /🎉 1/);
});

Deno.test("the picker loads on demand: a fragment for htmx, a page without JS", async () => {
  const id = await sent("pick one");
  const path = `/rooms/general/messages/${id}/reactions`;
  const fragment = await (await request(path, undefined, { cookie: bob, "hx-request": "true" }))
    .text();
  assert.match(fragment, /^<div class="picker">/);
  for (const e of ["👍", "❤️", "😂", "🎉", "👀"]) assert.ok(fragment.includes(`value="${e}"`));
  const page = await (await request(path, undefined, { cookie: bob })).text();
  assert.match(page, /<!DOCTYPE html>[\s\S]*pick one[\s\S]*class="picker"/);
});

Deno.test("a free emoji must be one emoji: text and markup are refused with a reason", async () => {
  const id = await sent("free pick");
  for (const bad of ["hello", "<b>x</b>", "👍👍", "👍 ok", "1", '" onclick="x']) {
    const res = await react(id, bad, bob, { "hx-request": "true" });
    assert.equal(res.status, 422, bad);
    const html = await res.text();
    assert.match(html, /A reaction must be one emoji/);
    assert.doesNotMatch(html, /<b>x<\/b>|" onclick="x/);
  }
  assert.equal((await react(id, "", bob)).status, 422);
  assert.deepEqual(await reactions(), []);
  for (const good of ["🦄", "👩‍💻", "🇫🇷", "👍🏽"]) assert.equal(emojiProblem(good), null, good);
  assert.equal((await react(id, "🦄", bob)).status, 303);
  assert.equal((await react(id, "❤", bob)).status, 303);
  assert.deepEqual((await reactions()).map((r) => r.emoji), ["🦄", "❤️"]);
});

Deno.test("one message collects at most twenty different emoji", async () => {
  const id = await sent("popular");
  const kinds = [..."🍎🍌🍒🍇🍉🍋🍑🍍🥝🥥🥑🍆🥕🌽🥦🍄🥜🌰🍞🧀🥚"];
  for (const e of kinds.slice(0, 20)) assert.equal((await react(id, e, bob)).status, 303, e);
  const res = await react(id, kinds[20], bob);
  assert.equal(res.status, 422);
  assert.match(await res.text(), /too many different reactions/);
  assert.equal((await react(id, kinds[0], ana)).status, 303);
  assert.equal((await reactions()).length, 21);
});

Deno.test("a person who cannot read a private room cannot react in it", async () => {
  await request("/rooms", { name: "secret" }, { cookie: ana });
  await t.deps.db.updateTable("rooms").set({ kind: "private" }).where("slug", "=", "secret")
    .execute();
  const id = await sent("members only", "secret");
  const start = await roomVersion("secret");
  const res = await react(id, "👍", bob, {}, "secret");
  assert.equal(res.status, 403);
  assert.match(await res.text(), /private/);
  assert.equal((await react(id, "👍", bob, {}, "general")).status, 404);
  assert.deepEqual(await reactions(), []);
  assert.equal(await roomVersion("secret"), start);
});

Deno.test("a deleted message and an archived room take no reactions", async () => {
  const id = await sent("gone soon");
  await request(`/rooms/general/messages/${id}/delete`, {}, { cookie: ana });
  const res = await react(id, "👍", bob);
  assert.equal(res.status, 404);
  const live = await sent("frozen later");
  await t.deps.db.updateTable("rooms").set({ archived_at: new Date() }).execute();
  const archived = await react(live, "👍", ana);
  assert.equal(archived.status, 403);
  assert.match(await archived.text(), /archived/);
  assert.deepEqual(await reactions(), []);
});

Deno.test("a reaction's title names the first dozen people and counts the rest", () => {
  const names = Array.from({ length: 15 }, (_, i) => `p${i}`);
  const message = { id: "M", room_slug: "r", reactions: [{ emoji: "👍", names }] };
  const html = String(Reactions({ message: message as unknown as MessageView }));
  assert.match(html, /title="p0, p1, [^"]*, p11 and 3 more">👍 15</);
});

Deno.test("a page of messages reads its reactions in the same query", async () => {
  const ids = [await sent("one"), await sent("two"), await sent("three")];
  for (const id of ids) await react(id, "👀", bob);
  let queries = 0;
  const counter: KyselyPlugin = {
    transformQuery: (args) => (queries++, args.node),
    transformResult: (args) => Promise.resolve(args.result),
  };
  const room = await t.deps.db.selectFrom("rooms").select("id").executeTakeFirstOrThrow();
  const page = await listMessages(t.deps.db.withPlugin(counter), room.id);
  assert.equal(queries, 1);
  assert.deepEqual(
    page.map((m) => m.reactions),
    ids.map(() => [{ emoji: "👀", names: ["bob"] }]),
  );
});
