// Everything under /rooms/:slug is one app (routes/room.tsx): the login check, the room and the
// read rule once per request; under /messages/:id the message once (routes/room_message.tsx).
import assert from "node:assert/strict";
import { accessFixture, person, room } from "../fixtures/people.ts";
import { appForFile } from "../fixtures/app.ts";
import { captureLog } from "../ops/log_capture.ts";

const t = await appForFile();

/** A message by `cookie`'s person in #slug, and its id. */
async function posted(slug: string, cookie: string, body: string): Promise<string> {
  await t.request(`/rooms/${slug}/messages`, { body }, { cookie });
  const row = await t.deps.db.selectFrom("messages").select("id").where("body", "=", body)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function answer(response: Response) {
  return { status: response.status, text: await response.text() };
}

Deno.test("a request turned away before its handler is logged under the route it asked for", async () => {
  const { mia, nia } = await accessFixture(t.deps.db);
  using captured = captureLog();
  await (await t.request("/rooms/lounge/messages", { body: "hi" })).body?.cancel();
  await (await t.request("/rooms/secret/members", undefined, { cookie: nia.cookie })).text();
  await (await t.request("/rooms/secret/members", undefined, { cookie: mia.cookie })).text();
  await (await t.request("/inbox")).body?.cancel();
  const seen = captured.entries("request").map((e) => `${e.status} ${e.route}`);
  assert.deepEqual(seen, [
    "401 /rooms/:slug/messages",
    "403 /rooms/:slug/members",
    "200 /rooms/:slug/members",
    "401 /inbox",
  ]);
});

Deno.test("earlier versions are refused to a non-admin before the room is looked up", async () => {
  const ada = await person(t.deps.db, "ada", "admin");
  const bob = await person(t.deps.db, "bob", "member");
  const open = await room(t.deps.db, "open");
  const id = await posted("open", ada.cookie, "first");
  const res = await t.request(`/rooms/open/messages/${id}/revisions`, undefined, {
    cookie: bob.cookie,
  });
  assert.deepEqual(await answer(res), {
    status: 403,
    text: "Only admins can see earlier versions",
  });
  const joined = await t.deps.db.selectFrom("memberships").select("user_id")
    .where("room_id", "=", open.id).where("user_id", "=", bob.id).executeTakeFirst();
  assert.equal(joined, undefined, "asking did not join bob to the open room");
  const signedOut = await t.request(`/rooms/open/messages/${id}/revisions`);
  assert.equal(signedOut.status, 401, "signed out: the login check answers, as elsewhere");
  await signedOut.body?.cancel();
});

Deno.test("a message that is not in the room is the same 404 on every path under it", async () => {
  const ada = await person(t.deps.db, "ada", "admin");
  await room(t.deps.db, "general");
  await room(t.deps.db, "random");
  const elsewhere = await posted("random", ada.cookie, "over there");
  const gone = await posted("general", ada.cookie, "regrettable");
  await (await t.request(`/rooms/general/messages/${gone}/delete`, {}, { cookie: ada.cookie }))
    .body?.cancel();
  const missing = { status: 404, text: "There is no such message in #general" };
  const base = "/rooms/general/messages";
  for (const id of [elsewhere, "01NOSUCHMESSAGE0000000000"]) {
    for (const path of ["", "/edit", "/reactions", "/revisions"]) {
      const res = await t.request(`${base}/${id}${path}`, undefined, { cookie: ada.cookie });
      assert.deepEqual(await answer(res), missing, `${id}${path}`);
    }
    const deleted = await t.request(`${base}/${id}/delete`, {}, { cookie: ada.cookie });
    assert.deepEqual(await answer(deleted), missing, `${id}/delete`);
  }
  // A deleted message keeps its place (permalink) and its history, and takes no more changes.
  const get = (path: string) =>
    t.request(`${base}/${gone}${path}`, undefined, { cookie: ada.cookie });
  assert.equal((await get("")).status, 303);
  assert.equal((await get("/revisions")).status, 200);
  assert.deepEqual(await answer(await get("/edit")), missing);
  assert.deepEqual(await answer(await get("/reactions")), missing);
});

Deno.test("a path nothing answers under a room is not found: the room is neither read nor joined", async () => {
  const { mia, nia } = await accessFixture(t.deps.db);
  const lounge = await t.deps.db.selectFrom("rooms").select("id").where("slug", "=", "lounge")
    .executeTakeFirstOrThrow();
  const id = await posted("secret", mia.cookie, "hidden");
  for (
    const path of ["/rooms/secret/nope", `/rooms/secret/messages/${id}/nope`, "/rooms/lounge/nope"]
  ) {
    const res = await t.request(path, undefined, { cookie: nia.cookie });
    assert.deepEqual(await answer(res), { status: 404, text: "Not found" }, path);
  }
  const joined = await t.deps.db.selectFrom("memberships").select("user_id")
    .where("room_id", "=", lounge.id).where("user_id", "=", nia.id).executeTakeFirst();
  assert.equal(joined, undefined, "nia did not join the open room by a wrong address");
  const signedOut = await t.request("/rooms/lounge/nope");
  assert.equal(signedOut.status, 401, "signed out: the login check answers first, as before");
  await signedOut.body?.cancel();
});
