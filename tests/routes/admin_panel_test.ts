import assert from "node:assert/strict";
import { findRoom } from "../../db/rooms.ts";
import { appForFile } from "../fixtures/app.ts";
import { accessFixture, type Person } from "../fixtures/people.ts";

const t = await appForFile();
const { request } = t;
let people: Record<string, Person> = {};
let ids: Record<string, string> = {};
Deno.test.beforeEach(async () => {
  people = await accessFixture(t.deps.db);
  const rooms = await t.deps.db.selectFrom("rooms").select(["id", "slug"]).execute();
  ids = Object.fromEntries(rooms.map((r) => [r.slug, r.id]));
});

const as = (p: Person) => ({ cookie: p.cookie });
const adminPost = (path: string, fields: Record<string, string> = {}) =>
  request(path, fields, as(people.ada));

async function auditActions() {
  const page = await (await request("/admin", undefined, as(people.ada))).text();
  return [
    ...page.matchAll(
      /<tr><td><time[^>]*>[^<]*<\/time><\/td><td>@(\w+)<\/td><td>([^<]+)<\/td><td>([^<]+)<\/td>/g,
    ),
  ]
    .map((m) => `${m[1]} ${m[2]} ${m[3]}`);
}

Deno.test("everyone but an admin gets 403 on every admin route", async () => {
  const lounge = ids.lounge;
  const routes: [string, Record<string, string>?][] = [
    ["/admin"],
    ["/admin/rooms"],
    [`/admin/rooms/${lounge}`],
    [`/admin/rooms/${lounge}/delete`],
    ["/admin/users"],
    ["/admin/messages?q=x"],
    ["/admin/nowhere"],
    ["/admin/settings", { guests_enabled: "on", room_creators: "everyone" }],
    [`/admin/rooms/${lounge}`, { name: "x", access: "open", read_access: "all" }],
    [`/admin/rooms/${lounge}/archive`, {}],
    [`/admin/rooms/${lounge}/unarchive`, {}],
    [`/admin/rooms/${lounge}/delete`, { confirm: "lounge" }],
    [`/admin/rooms/${ids.secret}/members/${people.mia.id}/remove`, {}],
    [`/admin/users/${people.mia.id}/role`, { role: "admin" }],
    [`/admin/users/${people.ada.id}/deactivate`, {}],
    [`/admin/users/${people.ada.id}/reactivate`, {}],
    ["/admin/messages/01ARZ3NDEKTSV4RRFFQ69G5FAV/delete", {}],
  ];
  for (const who of [null, people.gus, people.mia, people.nia]) {
    for (const [path, fields] of routes) {
      const res = await request(path, fields, who ? as(who) : {});
      assert.equal(res.status, 403, `${who?.username ?? "signed out"} on ${path}`);
      assert.equal(await res.text(), "Only admins can use the admin panel");
    }
  }
  assert.equal((await findRoom(t.deps.db, "lounge"))?.archived_at, null);
  assert.equal((await request("/admin", undefined, as(people.ada))).status, 200);
});

Deno.test("every admin action is recorded, newest first", async () => {
  await adminPost("/admin/settings", { room_creators: "members" });
  await adminPost(`/admin/rooms/${ids.lounge}`, {
    name: "Lounge 2",
    access: "private",
    read_access: "all",
    guests_allowed: "on",
  });
  await adminPost(`/admin/rooms/${ids.lounge}/archive`);
  await adminPost(`/admin/rooms/${ids.lounge}/unarchive`);
  await adminPost(`/admin/rooms/${ids.secret}/members/${people.mia.id}/remove`);
  await adminPost(`/admin/users/${people.mia.id}/role`, { role: "admin" });
  await adminPost(`/admin/users/${people.mia.id}/role`, { role: "member" });
  await adminPost(`/admin/users/${people.nia.id}/deactivate`);
  await adminPost(`/admin/users/${people.nia.id}/reactivate`);
  await request("/rooms/news/messages", { body: "a typo" }, as(people.ada));
  const message = await t.deps.db.selectFrom("messages").select("id").executeTakeFirstOrThrow();
  await adminPost(`/admin/messages/${message.id}/delete`);
  await adminPost(`/admin/rooms/${ids.noguests}/delete`, { confirm: "noguests" });
  assert.deepEqual(await auditActions(), [
    "ada delete room #noguests",
    "ada delete message message by @ada in #news",
    "ada reactivate user @nia",
    "ada deactivate user @nia",
    "ada demote to member @mia",
    "ada promote to admin @mia",
    "ada remove member @mia from #secret",
    "ada unarchive room #lounge",
    "ada archive room #lounge",
    "ada change room #lounge",
    "ada change settings instance",
  ]);
});

Deno.test("refused actions change nothing and record nothing", async () => {
  const demote = await adminPost(`/admin/users/${people.ada.id}/role`, { role: "member" });
  assert.equal(demote.status, 409);
  // The reason shows at the top of the page the admin was on, which stays usable.
  const demoted = await demote.text();
  assert.match(
    demoted,
    /<h1>People<\/h1><p class="form-error"\s+role="alert">The last admin cannot/,
  );
  assert.match(demoted, /action="\/admin\/users\/[^"]+\/deactivate"/);
  const off = await adminPost(`/admin/users/${people.ada.id}/deactivate`);
  assert.equal(off.status, 409);
  assert.match(await off.text(), /role="alert">[^<]*last admin/);
  const gone = await adminPost(`/admin/rooms/no-such-room/archive`);
  assert.equal(gone.status, 404);
  assert.match(
    await gone.text(),
    /<h1>Rooms<\/h1><p class="form-error"\s+role="alert">There is no such/,
  );
  const wrong = await adminPost(`/admin/rooms/${ids.lounge}/delete`, { confirm: "lounge?" });
  assert.equal(wrong.status, 422);
  assert.match(await wrong.text(), /Type lounge to confirm/);
  assert.ok(await findRoom(t.deps.db, "lounge"));
  assert.deepEqual(await auditActions(), []);
  // With a second admin, the first may step down.
  await adminPost(`/admin/users/${people.mia.id}/role`, { role: "admin" });
  const ok = await adminPost(`/admin/users/${people.ada.id}/role`, { role: "member" });
  assert.equal(ok.status, 303);
  assert.equal((await request("/admin", undefined, as(people.ada))).status, 403);
});

Deno.test("deactivating someone ends their sessions at once", async () => {
  const { nia } = people;
  assert.equal((await request("/rooms/lounge", undefined, as(nia))).status, 200);
  assert.equal((await adminPost(`/admin/users/${nia.id}/deactivate`)).status, 303);
  const page = await request("/rooms/lounge", undefined, { ...as(nia), accept: "text/html" });
  assert.equal(page.status, 303);
  assert.equal((await request("/rooms/lounge/events", undefined, as(nia))).status, 401);
  const sessions = await t.deps.db.selectFrom("sessions").select("user_id")
    .where("user_id", "=", nia.id).execute();
  assert.equal(sessions.length, 0);
  const users = await (await request("/admin/users", undefined, as(people.ada))).text();
  assert.match(users, /@nia<\/small><\/td><td>member<\/td><td>deactivated/);
});

Deno.test("with guests turned off no guest session starts and guests cannot enter rooms", async () => {
  await adminPost("/admin/settings", { room_creators: "everyone" });
  const lobby = await (await request("/")).text();
  assert.doesNotMatch(lobby, /action="\/guest"/, "no guest form to fill in for nothing");
  assert.match(lobby, /Guest access is turned off here/);
  assert.match(lobby, /action="\/login"/);
  const res = await request("/guest", { nickname: "newcomer" });
  assert.equal(res.status, 403);
  const refused = await res.text();
  assert.match(refused, /role="alert">Guests are not allowed here/);
  assert.doesNotMatch(refused, /action="\/guest"/);
  assert.equal(res.headers.getSetCookie().length, 0);
  assert.equal((await request("/rooms/lounge", undefined, as(people.gus))).status, 403);
  await adminPost("/admin/settings", { guests_enabled: "on", room_creators: "everyone" });
  assert.match(await (await request("/")).text(), /action="\/guest"/);
  assert.equal((await request("/guest", { nickname: "newcomer" })).status, 303);
});

Deno.test("the room-creation setting limits who may start a room, not who may go to one", async () => {
  await adminPost("/admin/settings", { guests_enabled: "on", room_creators: "members" });
  const guest = await request("/rooms", { name: "guest room" }, as(people.gus));
  assert.equal(guest.status, 403);
  assert.match(await guest.text(), /Guests cannot create rooms here/);
  assert.equal((await request("/rooms", { name: "lounge" }, as(people.gus))).status, 303);
  assert.equal((await request("/rooms", { name: "mia room" }, as(people.mia))).status, 303);
  await adminPost("/admin/settings", { guests_enabled: "on", room_creators: "admins" });
  assert.equal((await request("/rooms", { name: "nia room" }, as(people.nia))).status, 403);
  assert.equal((await request("/rooms", { name: "ada room" }, as(people.ada))).status, 303);
  assert.equal(await findRoom(t.deps.db, "nia-room"), null);
});

Deno.test("an admin renames a room and makes it admin-only, read by admins", async () => {
  const res = await adminPost(`/admin/rooms/${ids.lounge}`, {
    name: "Front Desk",
    access: "admin-only",
    read_access: "admins",
  });
  assert.equal(res.status, 303);
  const room = await findRoom(t.deps.db, "lounge");
  assert.equal(room?.name, "Front Desk");
  assert.equal(room?.admins_only, true);
  assert.equal(room?.guests_allowed, false);
  assert.equal((await request("/rooms/lounge", undefined, as(people.mia))).status, 403);
  const bad = await adminPost(`/admin/rooms/${ids.lounge}`, { name: "x", access: "secret" });
  assert.equal(bad.status, 422);
  assert.match(await bad.text(), /role="alert">Kind must be open, private or admin-only<\/p>/);
  const settings = await adminPost("/admin/settings", { room_creators: "robots" });
  assert.equal(settings.status, 422);
  assert.match(await settings.text(), /role="alert">Who may create rooms must be/);
});

Deno.test("admins find messages by text and author, and delete them for everyone", async () => {
  const { ada, mia } = people;
  await request("/rooms/lounge/messages", { body: "buy cheap pills" }, as(mia));
  await request("/rooms/lounge/messages", { body: "cheap 100%_off" }, as(ada));
  await request("/rooms/lounge/messages", { body: "hello" }, as(mia));
  const found = async (query: string) =>
    [...(await (await request(`/admin/messages?${query}`, undefined, as(ada))).text())
      .matchAll(/<p class="body">([^<]*)<\/p>/g)].map((m) => m[1]);
  assert.deepEqual(await found("q=CHEAP"), ["cheap 100%_off", "buy cheap pills"]);
  assert.deepEqual(await found("q=cheap&author=mia"), ["buy cheap pills"]);
  assert.deepEqual(await found("author=%40mia"), ["hello", "buy cheap pills"]);
  assert.deepEqual(await found("q=%25_"), ["cheap 100%_off"]);
  assert.deepEqual(await found(""), []);
  const spam = await t.deps.db.selectFrom("messages").select("id")
    .where("body", "=", "buy cheap pills").executeTakeFirstOrThrow();
  const res = await adminPost(`/admin/messages/${spam.id}/delete`, { q: "cheap" });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/admin/messages?q=cheap&author=");
  assert.deepEqual(await found("q=cheap"), ["cheap 100%_off"]);
  const page = await (await request("/rooms/lounge", undefined, as(mia))).text();
  assert.doesNotMatch(page, /buy cheap pills/);
  assert.match(page, /message deleted/);
});
