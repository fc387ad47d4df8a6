import assert from "node:assert/strict";
import { appForFile, sessionCookie } from "../fixtures/app.ts";

const t = await appForFile();
const { request } = t;
let ana = "", bob = "";
Deno.test.beforeEach(async () => {
  ana = sessionCookie(await request("/guest", { nickname: "ana" }));
  bob = sessionCookie(await request("/guest", { nickname: "bob" }));
  await request("/rooms", { name: "general" }, { cookie: ana });
});

const send = (body: string, headers: Record<string, string> = {}) =>
  request("/rooms/general/messages", { body }, { cookie: ana, ...headers });
const page = async (path: string, cookie: string) =>
  await (await request(path, undefined, { cookie })).text();
const directRooms = async () =>
  await t.deps.db.selectFrom("rooms").select("id").where("kind", "=", "direct").execute();
const bodies = async () =>
  (await t.deps.db.selectFrom("messages").select("body").orderBy("id").execute()).map((m) =>
    m.body
  );

Deno.test("/pm from a plain form goes to the direct conversation; only the sender sees the delivery line", async () => {
  const res = await send("/pm bob hello <b>there</b>");
  assert.equal(res.status, 303);
  const location = res.headers.get("location")!;
  assert.match(location, /^\/rooms\/general\?sent=[0-9A-Z]{26}$/);
  const after = await page(location, ana);
  assert.match(after, /<div id="notices"[^>]*><p class="notice delivered">/);
  assert.match(after, /to bob<\/a>: hello &lt;b&gt;there&lt;\/b&gt;/);
  assert.doesNotMatch(await page(location, bob), /notice delivered/);
  const dm = await page("/dm/ana", bob);
  assert.match(dm, /<article id="m-/);
  assert.match(dm, /hello &lt;b&gt;there&lt;\/b&gt;/);
  assert.equal((await directRooms()).length, 1);
  assert.doesNotMatch(await page("/rooms/general", ana), /<article /, "nothing in the room");
});

Deno.test("/pm over htmx answers with a fresh composer and the delivery line out of band", async () => {
  const res = await send("/pm @bob hi over htmx", { "hx-request": "true" });
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /^<form id="composer"/);
  assert.match(html, /<div id="notices" hx-swap-oob="beforeend"><p class="notice delivered">/);
  assert.match(html, /to bob<\/a>: hi over htmx/);
  assert.deepEqual(await bodies(), ["hi over htmx"]);
});

for (
  const [what, body, error] of [
    ["an unknown person", "/pm nobody hi", /There is no one called @nobody/],
    ["an empty message", "/pm bob    ", /Message is empty/],
    [
      "a message to yourself",
      "/pm ana note to self",
      /You cannot send a private message to yourself/,
    ],
    ["no recipient", "/pm", /Say who the message is for/],
  ] as const
) {
  Deno.test(`${what} is refused in the composer, keeping the typed text (form and htmx)`, async () => {
    const form = await send(body);
    assert.equal(form.status, 422);
    const html = await form.text();
    assert.match(html, error);
    assert.ok(html.includes(`${body}</textarea>`), "the form keeps the typed text");
    const htmx = await send(body, { "hx-request": "true" });
    assert.equal(htmx.status, 422);
    const fragment = await htmx.text();
    assert.match(fragment, /^<form id="composer"/);
    assert.match(fragment, error);
    assert.ok(fragment.includes(`${body}</textarea>`));
    assert.deepEqual(await bodies(), []);
    assert.equal((await directRooms()).length, 0);
  });
}

Deno.test("opening /dm/bob writes nothing and offers a composer; the first post creates the room", async () => {
  const empty = await request("/dm/bob", undefined, { cookie: ana });
  assert.equal(empty.status, 200);
  assert.match(
    await empty.text(),
    /<form id="composer" class="composer" method="post" action="\/dm\/bob"/,
  );
  assert.equal((await directRooms()).length, 0);
  const first = await request("/dm/bob", { body: "first words" }, { cookie: ana });
  assert.equal(first.status, 303);
  assert.equal(first.headers.get("location"), "/dm/bob");
  const conversation = await page("/dm/bob", ana);
  assert.match(conversation, /first words/);
  assert.match(conversation, /ws-connect="\/rooms\/dm~[0-9a-z~]+\/live\?feeds=1"/);
  assert.match(await page("/dm/ana", bob), /first words/);
});

Deno.test("two people starting the same conversation at once get one room", async () => {
  await Promise.all([
    request("/dm/bob", { body: "a1" }, { cookie: ana }),
    request("/dm/ana", { body: "b1" }, { cookie: bob }),
    send("/pm bob a2"),
    request("/rooms/general/messages", { body: "/pm ana b2" }, { cookie: bob }),
  ]);
  const rooms = await directRooms();
  assert.equal(rooms.length, 1);
  const members = await t.deps.db.selectFrom("memberships").select("user_id")
    .where("room_id", "=", rooms[0].id).execute();
  assert.equal(members.length, 2);
  assert.deepEqual((await bodies()).sort(), ["a1", "a2", "b1", "b2"]);
});

Deno.test("there is no conversation with an unknown person or with yourself", async () => {
  const nobody = await request("/dm/nobody", undefined, { cookie: ana });
  assert.equal(nobody.status, 404);
  assert.match(await nobody.text(), /There is no one called @nobody/);
  const self = await request("/dm/ana", { body: "hi me" }, { cookie: ana });
  assert.equal(self.status, 404);
  assert.match(await self.text(), /yourself/);
  assert.deepEqual(await bodies(), []);
});
