import assert from "node:assert/strict";
import { reviseMessage } from "../../db/messages.ts";
import { listRevisions } from "../../db/revisions.ts";
import type { User } from "../../db/schema.ts";
import { controlsCss, OwnControlsStyle } from "../../views/message_actions.tsx";
import { appForFile, sessionCookie } from "../fixtures/app.ts";

const t = await appForFile();
let ana = "", bob = "", root = "";

const { request } = t;
const page = async (cookie = ana) =>
  await (await request("/rooms/general", undefined, { cookie })).text();
const stored = async (id: string) =>
  await t.deps.db.selectFrom("messages").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

async function sent(body: string, cookie = ana): Promise<string> {
  await request("/rooms/general/messages", { body }, { cookie });
  const row = await t.deps.db.selectFrom("messages").select("id").orderBy("seq", "desc")
    .executeTakeFirstOrThrow();
  return row.id;
}
const edit = (id: string, body: string, cookie = ana, headers = {}) =>
  request(`/rooms/general/messages/${id}/edit`, { body }, { cookie, ...headers });
const remove = (id: string, cookie = ana) =>
  request(`/rooms/general/messages/${id}/delete`, {}, { cookie });

Deno.test.beforeEach(async () => {
  root = sessionCookie(await request("/signup", { username: "root", password: "hunter2hunter2" }));
  ana = sessionCookie(await request("/guest", { nickname: "ana" }));
  bob = sessionCookie(await request("/guest", { nickname: "bob" }));
  await request("/rooms", { name: "general" }, { cookie: ana });
  await request("/rooms/general", undefined, { cookie: bob });
});

Deno.test("the author edits: the old body is kept as a revision and the page shows edited", async () => {
  const id = await sent("first draft");
  const before = await stored(id);
  const res = await edit(id, "second *draft*");
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), `/rooms/general#m-${id}`);
  const after = await stored(id);
  assert.equal(after.body, "second *draft*");
  assert.ok(after.edited_at);
  assert.ok(after.version > before.version);
  const room = await t.deps.db.selectFrom("rooms").select("version").executeTakeFirstOrThrow();
  assert.equal(after.version, room.version);
  assert.deepEqual((await listRevisions(t.deps.db, id)).map((r) => r.body), ["first draft"]);
  const html = await page();
  assert.match(html, /second <em>draft<\/em>/);
  assert.match(html, /<span class="edited">edited<\/span>/);
});

Deno.test("another member is refused with a reason and nothing changes", async () => {
  const id = await sent("mine");
  const res = await edit(id, "hijacked", bob);
  assert.equal(res.status, 403);
  assert.match(await res.text(), /Only its author or an admin/);
  assert.equal((await remove(id, bob)).status, 403);
  const row = await stored(id);
  assert.equal(row.body, "mine");
  assert.equal(row.deleted_at, null);
  assert.deepEqual(await listRevisions(t.deps.db, id), []);
});

Deno.test("an admin deletes other people's messages but cannot put words in their mouths", async () => {
  const id = await sent("needs moderation");
  const res = await edit(id, "moderated", root);
  assert.equal(res.status, 403);
  assert.match(await res.text(), /Only its author can edit this message; admins can delete it/);
  assert.equal((await stored(id)).body, "needs moderation");
  assert.deepEqual(await listRevisions(t.deps.db, id), []);
  const form = await request(`/rooms/general/messages/${id}/edit`, undefined, { cookie: root });
  const html = await form.text();
  assert.equal(form.status, 200);
  assert.doesNotMatch(html, /<textarea/, "no edit box for someone else's message");
  assert.match(html, /class="delete"/);
  assert.equal((await remove(id, root)).status, 303);
  assert.ok((await stored(id)).deleted_at);
  assert.equal((await listRevisions(t.deps.db, id))[0].body, "needs moderation");
});

Deno.test("the store refuses an admin's edit of someone else's message even past the route", async () => {
  const id = await sent("their words");
  const message = await stored(id);
  const admin = await t.deps.db.selectFrom("users").select("id").where("role", "=", "admin")
    .executeTakeFirstOrThrow();
  const changed = await reviseMessage(t.deps.db, {
    messageId: id,
    roomId: message.room_id,
    editorId: admin.id,
    body: "other words",
  });
  assert.equal(changed, null);
  assert.equal((await stored(id)).body, "their words");
});

Deno.test("deleting leaves a placeholder and the old text is gone from the page", async () => {
  const id = await sent("regrettable words");
  assert.equal((await remove(id)).status, 303);
  const html = await page(bob);
  assert.match(html, new RegExp(`<article id="m-${id}" class="msg h\\d+ deleted"`));
  assert.match(html, /message deleted/);
  assert.doesNotMatch(html, /regrettable/);
  assert.equal((await stored(id)).body, "");
  assert.equal((await edit(id, "back again")).status, 404);
});

Deno.test("a bad body is refused with the reason; another room's message is not found", async () => {
  const id = await sent("short");
  const res = await edit(id, "x".repeat(4001));
  assert.equal(res.status, 422);
  assert.match(await res.text(), /Message is too long \(4001 of 4000 characters\)/);
  await request("/rooms", { name: "other" }, { cookie: ana });
  const elsewhere = await request(`/rooms/other/messages/${id}/edit`, { body: "x" }, {
    cookie: ana,
  });
  assert.equal(elsewhere.status, 404);
  assert.equal((await stored(id)).body, "short");
});

Deno.test("an htmx edit answers 204 and leaves the update to the push", async () => {
  const id = await sent("via htmx");
  const res = await edit(id, "changed via htmx", ana, { "hx-request": "true" });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get("vary"), "HX-Request");
});

Deno.test("an edited body with markup renders inert", async () => {
  const id = await sent("harmless");
  await edit(id, `<script>alert(1)</script><img src=x onerror="alert(2)"><b hx-get="/x">`);
  const html = await page(bob);
  assert.doesNotMatch(html, /<script>alert|<img src=x|<b hx-get/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
});

Deno.test("a permalink opens the room around the message, only for readers", async () => {
  const first = await sent("number 0");
  for (let i = 1; i <= 60; i++) await sent(`number ${i}`);
  const res = await request(`/rooms/general/messages/${first}`, undefined, { cookie: bob });
  assert.equal(res.status, 303);
  const location = res.headers.get("location")!;
  assert.match(location, new RegExp(`^/rooms/general\\?before=\\d+#m-${first}$`));
  const html = await (await request(location.split("#")[0], undefined, { cookie: bob })).text();
  assert.match(html, new RegExp(`id="m-${first}"`));
  assert.match(html, /number 25</);
  assert.doesNotMatch(html, /number 26</);
  await request("/rooms", { name: "secret" }, { cookie: ana });
  await t.deps.db.updateTable("rooms").set({ kind: "private" }).where("slug", "=", "secret")
    .execute();
  const refused = await request(`/rooms/secret/messages/${first}`, undefined, { cookie: bob });
  assert.equal(refused.status, 403);
  const missing = await request(`/rooms/general/messages/01ARZ3NDEKTSV4RRFFQ69G5FAV`, undefined, {
    cookie: bob,
  });
  assert.equal(missing.status, 404);
});

const user = { id: "01ARZ3NDEKTSV4RRFFQ69G5FAV", role: "member" } as User;

Deno.test("a member's style shows the controls on their own messages only", () => {
  const link = String(OwnControlsStyle({ user }));
  assert.equal(link, `<link rel="stylesheet" href="/controls.css?for=${user.id}">`);
  assert.equal(
    controlsCss(user.id),
    ".msg[data-author=\\30 1ARZ3NDEKTSV4RRFFQ69G5FAV] .own{display:inline}",
  );
});

Deno.test("an admin's style shows the controls everywhere; a malformed id shows nothing", () => {
  assert.match(String(OwnControlsStyle({ user: { ...user, role: "admin" } })), /for=admin/);
  assert.match(controlsCss("admin")!, /\.msg\[data-author\] \.own/);
  assert.equal(controlsCss(`x"]{}*{color:red`), null);
  assert.equal(OwnControlsStyle({ user: { ...user, id: `x"]{}*{color:red` } }), null);
});
