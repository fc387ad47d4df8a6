import assert from "node:assert/strict";
import { appForFile, formInit, sessionCookie, testApp } from "../fixtures/app.ts";

const t = await appForFile();
let ana = "";
Deno.test.beforeEach(async () => {
  ana = sessionCookie(await request("/guest", { nickname: "ana" }));
  await request("/rooms", { name: "general" }, { cookie: ana });
});

const { request } = t;
const send = (body: string, headers: Record<string, string> = {}, extra = {}) =>
  request("/rooms/general/messages", { body, ...extra }, { cookie: ana, ...headers });
const bodies = async () =>
  (await t.deps.db.selectFrom("messages").select("body").orderBy("seq").execute()).map((m) =>
    m.body
  );

Deno.test("a plain form post stores the message and goes back to the room", async () => {
  const res = await send("hello *world*");
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/rooms/general");
  const page = await (await request("/rooms/general", undefined, { cookie: ana })).text();
  assert.match(
    page,
    /<article id="m-[0-9A-Z]{26}" class="msg h\d+" data-author="[0-9A-Z]{26}" data-i="AN"/,
  );
  assert.match(page, /hello <em>world<\/em>/);
  // The clock time (UTC until the page script shows the reader's own), the day above it.
  assert.match(page, /<time datetime="\d{4}-\d\d-\d\dT[^"]+Z">\d\d:\d\d<\/time>/);
  assert.match(page, /<p class="day" role="separator">\w+day \d+ \w+<\/p>/);
});

Deno.test("an htmx post answers with a fresh composer and says it varies by HX-Request", async () => {
  const res = await send("over htmx", { "hx-request": "true" });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("vary"), "HX-Request");
  const html = await res.text();
  assert.match(html, /^<form id="composer"/);
  assert.doesNotMatch(html, /over htmx/);
  assert.deepEqual(await bodies(), ["over htmx"]);
});

Deno.test("an empty or over-long body is refused with a reason, keeping the text", async () => {
  const empty = await send("   ");
  assert.equal(empty.status, 422);
  assert.match(await empty.text(), /Message is empty/);
  const long = "x".repeat(4001);
  const res = await send(long, { "hx-request": "true" });
  assert.equal(res.status, 422);
  const html = await res.text();
  assert.match(html, /Message is too long \(4001 of 4000 characters\)/);
  // The typed text comes back up to the field limit, never more.
  assert.ok(html.includes(`>${long.slice(0, 4000)}</textarea>`), "the typed text is kept");
  assert.deepEqual(await bodies(), []);
});

Deno.test("exactly 4000 characters is accepted, counted as characters not bytes", async () => {
  assert.equal((await send("é".repeat(4000))).status, 303);
});

Deno.test("sending the same client_id twice stores one message", async () => {
  await send("once", {}, { client_id: "abc-123" });
  await send("once", {}, { client_id: "abc-123" });
  assert.deepEqual(await bodies(), ["once"]);
});

Deno.test("a malformed client_id is refused", async () => {
  const res = await send("hi", {}, { client_id: "<bad>" });
  assert.equal(res.status, 422);
  assert.match(await res.text(), /client_id must be/);
});

Deno.test("posting to an unknown room says so", async () => {
  const res = await request("/rooms/nowhere/messages", { body: "hi" }, { cookie: ana });
  assert.equal(res.status, 404);
  assert.match(await res.text(), /There is no room #nowhere/);
});

Deno.test("the page shows the last 50 messages and loads older ones by seq", async () => {
  for (let i = 1; i <= 60; i++) await send(`message ${i}`);
  const page = await (await request("/rooms/general", undefined, { cookie: ana })).text();
  assert.equal(page.match(/<article /g)?.length, 50);
  assert.match(page, /message 11</);
  assert.doesNotMatch(page, /message 10</);
  assert.match(page, /hx-get="\/rooms\/general\/messages\?before=11"/);
  assert.match(page, /href="\/rooms\/general\?before=11"/);
  const older = await request("/rooms/general/messages?before=11", undefined, {
    cookie: ana,
    "hx-request": "true",
  });
  const html = await older.text();
  assert.equal(html.match(/<article /g)?.length, 10);
  assert.match(html, /message 1</);
  assert.doesNotMatch(html, /load-older/);
  const plain = await request("/rooms/general?before=11", undefined, { cookie: ana });
  assert.equal((await plain.text()).match(/<article /g)?.length, 10);
});

Deno.test("message bodies are escaped", async () => {
  await send(`<script>alert(1)</script><div hx-get="/x" hx-trigger="load">`);
  const page = await (await request("/rooms/general", undefined, { cookie: ana })).text();
  assert.doesNotMatch(page, /<script>alert/);
  assert.doesNotMatch(page, /<div hx-get="\/x"/);
  assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
});

Deno.test("a sender over the rate limit is told to slow down and nothing is stored", async () => {
  await using slow = await testApp({ SEND_RATE: "1" });
  const cookie = sessionCookie(
    await slow.app.request("http://localhost/guest", formInit({ nickname: "xy" })),
  );
  await slow.app.request("http://localhost/rooms", formInit({ name: "r" }, { cookie }));
  const statuses = [];
  for (let i = 0; i < 4; i++) {
    const res = await slow.app.request(
      "http://localhost/rooms/r/messages",
      formInit({ body: `m${i}` }, { cookie }),
    );
    statuses.push(res.status);
    if (res.status === 429) assert.match(await res.text(), /Slow down/);
  }
  assert.deepEqual(statuses, [303, 303, 429, 429]);
  const stored = await slow.deps.db.selectFrom("messages").select("body").execute();
  assert.equal(stored.length, 2);
});
