import assert from "node:assert/strict";
import { appForFile, sessionCookie } from "../fixtures/app.ts";

const t = await appForFile();
const { request } = t;
let root = "", ana = "", bob = "";

async function sent(body: string, cookie: string, room = "general"): Promise<string> {
  await request(`/rooms/${room}/messages`, { body }, { cookie });
  const row = await t.deps.db.selectFrom("messages").select("id").orderBy("created_at", "desc")
    .orderBy("id", "desc").executeTakeFirstOrThrow();
  return row.id;
}
const history = (id: string, cookie: string, room = "general") =>
  request(`/rooms/${room}/messages/${id}/revisions`, undefined, { cookie });

Deno.test.beforeEach(async () => {
  root = sessionCookie(await request("/signup", { username: "root", password: "hunter2hunter2" }));
  ana = sessionCookie(await request("/guest", { nickname: "ana" }));
  bob = sessionCookie(await request("/guest", { nickname: "bob" }));
  await request("/rooms", { name: "general" }, { cookie: ana });
  await request("/rooms/general", undefined, { cookie: root });
});

Deno.test("an admin sees every earlier body, oldest first, as text, with who replaced it", async () => {
  const id = await sent("first <b>draft</b>", ana);
  await request(`/rooms/general/messages/${id}/edit`, { body: "second draft" }, { cookie: ana });
  await request(`/rooms/general/messages/${id}/edit`, { body: "final" }, { cookie: ana });
  // Admins delete, never edit: the deletion keeps the last body, replaced by root.
  await request(`/rooms/general/messages/${id}/delete`, {}, { cookie: root });
  const res = await history(id, root);
  assert.equal(res.status, 200);
  const html = await res.text();
  const first = html.indexOf("first &lt;b&gt;draft&lt;/b&gt;");
  const second = html.indexOf("second draft");
  assert.ok(first > 0 && second > first, "both earlier bodies, oldest first, escaped");
  assert.doesNotMatch(html, /<b>draft<\/b>/);
  assert.match(html, /by ana[\s\S]*by root/);
});

Deno.test("a deleted message's last body stays readable to an admin, not in the room", async () => {
  const id = await sent("regrettable", ana);
  await request(`/rooms/general/messages/${id}/delete`, {}, { cookie: ana });
  assert.match(await (await history(id, root)).text(), /regrettable/);
  const room = await (await request("/rooms/general", undefined, { cookie: bob })).text();
  assert.doesNotMatch(room, /regrettable/);
});

Deno.test("only admins may look: the author and others get 403 with the reason", async () => {
  const id = await sent("mine", ana);
  await request(`/rooms/general/messages/${id}/edit`, { body: "mine, edited" }, { cookie: ana });
  for (const cookie of [ana, bob]) {
    const res = await history(id, cookie);
    assert.equal(res.status, 403);
    assert.equal(await res.text(), "Only admins can see earlier versions");
  }
});

Deno.test("a message from another room is not found through this room's address", async () => {
  await request("/rooms", { name: "random" }, { cookie: ana });
  const id = await sent("elsewhere", ana, "random");
  const res = await history(id, root);
  assert.equal(res.status, 404);
});

Deno.test("edited messages carry a history link that only an admin's page reveals", async () => {
  const id = await sent("draft", ana);
  await request(`/rooms/general/messages/${id}/edit`, { body: "better" }, { cookie: ana });
  const asAdmin = await (await request("/rooms/general", undefined, { cookie: root })).text();
  const asAna = await (await request("/rooms/general", undefined, { cookie: ana })).text();
  const link = `href="/rooms/general/messages/${id}/revisions"`;
  assert.ok(asAdmin.includes(link) && asAna.includes(link));
  assert.match(asAdmin, /href="\/controls.css\?for=admin"/);
  assert.doesNotMatch(asAna, /for=admin/);
  const css = async (key: string) => await (await request(`/controls.css?for=${key}`)).text();
  assert.match(await css("admin"), /\.msg \.history\{display:inline\}/);
  assert.doesNotMatch(asAna.match(/controls.css\?for=([0-9A-Z]+)/)![1], /admin/);
});
