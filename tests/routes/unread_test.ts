import assert from "node:assert/strict";
import { appForFile, sessionCookie } from "../fixtures/app.ts";

const t = await appForFile();
let ana = "", bob = "";

const { request } = t;
const page = async (cookie: string, query = "") =>
  await (await request(`/rooms/general${query}`, undefined, { cookie })).text();
const send = (body: string, cookie = ana) =>
  request("/rooms/general/messages", { body }, { cookie });
/** What follows the divider, up to the next message's body. */
const afterDivider = (html: string) =>
  html.match(
    /<div id="unread" class="unread-divider"[^>]*>New messages<\/div><article[^>]*>[\s\S]*?<div class="body">([^<]*)</,
  )
    ?.[1];

Deno.test.beforeEach(async () => {
  ana = sessionCookie(await request("/guest", { nickname: "ana" }));
  bob = sessionCookie(await request("/guest", { nickname: "bob" }));
  await request("/rooms", { name: "general" }, { cookie: ana });
  await page(bob);
});

Deno.test("the New messages divider sits right before the first message the reader has not seen", async () => {
  await send("seen one");
  await send("seen two");
  await page(bob);
  await send("first new");
  await send("second new");
  const html = await page(bob);
  assert.equal(afterDivider(html), "first new");
  assert.equal(html.match(/id="unread"/g)?.length, 1);
  assert.ok(html.indexOf("seen two") < html.indexOf('id="unread"'));
});

Deno.test("the New messages divider skips the reader's own and deleted messages when finding the first unread", async () => {
  await send("old news");
  await page(bob);
  await send("my own reply", bob);
  await send("deleted soon");
  const gone = await t.deps.db.selectFrom("messages").select("id").orderBy("seq", "desc")
    .executeTakeFirstOrThrow();
  await request(`/rooms/general/messages/${gone.id}/delete`, {}, { cookie: ana });
  await send("the real news");
  assert.equal(afterDivider(await page(bob)), "the real news");
});

Deno.test("the New messages divider is absent when everything was read, on a first visit and in older pages", async () => {
  await send("hello");
  await page(bob);
  assert.doesNotMatch(await page(bob), /id="unread"/);
  const carl = sessionCookie(await request("/guest", { nickname: "carl" }));
  assert.doesNotMatch(await page(carl), /id="unread"/);
  await send("later");
  assert.doesNotMatch(await page(bob, "?before=3"), /id="unread"/);
  assert.equal(afterDivider(await page(bob)), "later");
});
