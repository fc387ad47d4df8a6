import assert from "node:assert/strict";
import { appForFile, sessionCookie } from "../fixtures/app.ts";

const t = await appForFile();
let ana = "";
Deno.test.beforeEach(async () => {
  ana = sessionCookie(await request("/guest", { nickname: "ana" }));
});

const { request } = t;

Deno.test("creating a room goes to it, and naming it again goes to the same room", async () => {
  const res = await request("/rooms", { name: "Design Review" }, { cookie: ana });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/rooms/design-review");
  const again = await request("/rooms", { name: "design review" }, { cookie: ana });
  assert.equal(again.headers.get("location"), "/rooms/design-review");
  const page = await (await request("/rooms/design-review", undefined, { cookie: ana })).text();
  assert.match(page, /<h1>#Design Review<\/h1>/);
  assert.match(page, /id="messages"/);
});

Deno.test("the room index lists rooms with member counts", async () => {
  await request("/rooms", { name: "general" }, { cookie: ana });
  const bob = sessionCookie(await request("/guest", { nickname: "bob" }));
  await request("/rooms/general", undefined, { cookie: bob });
  const index = await (await request("/", undefined, { cookie: ana })).text();
  assert.match(index, /#general<\/a>.*2 members/s);
});

Deno.test("a missing room offers a Create button and the GET writes nothing", async () => {
  const res = await request("/rooms/nowhere", undefined, { cookie: ana });
  assert.equal(res.status, 404);
  const html = await res.text();
  assert.match(html, /#nowhere does not exist yet/);
  assert.match(html, /<form method="post" action="\/rooms">/);
  const rooms = await t.deps.db.selectFrom("rooms").select("id").execute();
  assert.equal(rooms.length, 0);
});

Deno.test("bad room names get a visible reason and keep what was typed", async () => {
  const long = await request("/rooms", { name: "x".repeat(65) }, { cookie: ana });
  assert.equal(long.status, 422);
  assert.match(await long.text(), /Room name is too long \(65 of 64 characters\)/);
  const symbols = await request("/rooms", { name: "!!!" }, { cookie: ana });
  assert.equal(symbols.status, 422);
  const html = await symbols.text();
  assert.match(html, /needs at least one letter or digit/);
  assert.match(html, /value="!!!"/);
});

Deno.test("room names are escaped everywhere they are shown", async () => {
  const name = `<img src=x onerror=alert(1)> "quoted"`;
  const res = await request("/rooms", { name }, { cookie: ana });
  const page = await (await request(res.headers.get("location")!, undefined, { cookie: ana }))
    .text();
  assert.doesNotMatch(page, /<img src=x/);
  assert.match(page, /&lt;img src=x onerror=alert\(1\)&gt;/);
});

Deno.test("signed-out visitors are sent to the lobby and cannot create rooms", async () => {
  assert.equal((await request("/rooms/general", undefined, { accept: "text/html" })).status, 303);
  assert.equal((await request("/rooms/general/messages?before=5")).status, 401);
  assert.equal((await request("/rooms", { name: "general" })).status, 401);
});

Deno.test("health reports the database, the listener and the instance", async () => {
  const res = await request("/healthz");
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.ok, true);
  assert.equal(body.db, "up");
  assert.equal(body.instance, t.deps.config.instanceId);
});

Deno.test("htmx and its extensions are served by the app itself", async () => {
  for (const file of ["htmx.min.js", "ws.js", "sse.js", "chat.js", "app.css"]) {
    const res = await request(`/static/${file}`);
    assert.equal(res.status, 200, file);
    assert.ok((await res.text()).length > 100);
  }
  const page = await (await request("/")).text();
  assert.doesNotMatch(page, /unpkg|jsdelivr|cdnjs/);
});
