import assert from "node:assert/strict";
import { createApiToken, revokeApiToken } from "../../db/api_tokens.ts";
import { createBot } from "../../db/bots.ts";
import { findUserById } from "../../db/users.ts";
import { appForFile } from "../fixtures/app.ts";
import { person, room } from "../fixtures/people.ts";

const t = await appForFile();
const { app, deps } = t;

/** An admin, a member, a bot with its first token, an open and a private room. */
async function setUp() {
  const ada = await person(deps.db, "ada", "admin");
  const mia = await person(deps.db, "mia", "member");
  const actor = (await findUserById(deps.db, ada.id))!;
  const made = await createBot(deps.db, { actor, username: "robo", webhookUrl: "" });
  if (!made.ok) throw new Error(made.reason);
  await room(deps.db, "general");
  await room(deps.db, "secret", { kind: "private", members: [mia] });
  return { ada, mia, bot: made.bot, token: made.token };
}

function post(slug: string, headers: Record<string, string>, body = "body=hello") {
  return app.request(`http://localhost/rooms/${slug}/messages`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
}

async function authorOf(id: string) {
  const row = await deps.db.selectFrom("messages").innerJoin("users", "users.id", "author_id")
    .select("username").where("messages.id", "=", id).executeTakeFirst();
  return row?.username;
}

Deno.test("a bot posts with its token and gets 201 with the message id as text", async () => {
  const { token } = await setUp();
  const res = await post("general", { authorization: `Bearer ${token}` });
  assert.equal(res.status, 201);
  const id = (await res.text()).trim();
  assert.match(id, /^[0-9A-Z]{26}$/);
  assert.equal(await authorOf(id), "robo");
});

Deno.test("a JSON send answers JSON with the id and the room version", async () => {
  const { token } = await setUp();
  const res = await post("general", {
    authorization: `Bearer ${token}`,
    "content-type": "application/json",
  }, JSON.stringify({ body: "hi from json" }));
  assert.equal(res.status, 201);
  const answer = await res.json();
  assert.equal(answer.version, 1);
  assert.equal(await authorOf(answer.id), "robo");
  const bad = await post("general", {
    authorization: `Bearer ${token}`,
    "content-type": "application/json",
  }, "{not json");
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /JSON object/);
});

Deno.test("a post without a token, or with a revoked or wrong one, is a 401", async () => {
  const { bot, token } = await setUp();
  const none = await post("general", {});
  assert.equal(none.status, 403, "no token and no Origin: the Origin check refuses first");
  const wrong = await post("general", { authorization: `Bearer ${token.slice(0, -2)}xx` });
  assert.equal(wrong.status, 401);
  assert.match(await wrong.text(), /Invalid API token/);
  const tokenId = token.split(".")[0];
  assert.ok(await revokeApiToken(deps.db, { userId: bot.id, tokenId }));
  const revoked = await post("general", { authorization: `Bearer ${token}` });
  assert.equal(revoked.status, 401);
  await revoked.body?.cancel();
  const anonymous = await post("general", { origin: "http://localhost", accept: "text/plain" });
  assert.equal(anonymous.status, 401, "signed out, with an Origin: the room says sign in");
  await anonymous.body?.cancel();
  assert.equal((await deps.db.selectFrom("messages").selectAll().execute()).length, 0);
});

Deno.test("a token reaches only rooms its user may read", async () => {
  const { token } = await setUp();
  const res = await post("secret", { authorization: `Bearer ${token}` });
  assert.equal(res.status, 403);
  assert.match(await res.text(), /private/);
  const tail = await app.request("http://localhost/rooms/secret/events", {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(tail.status, 403);
  await tail.body?.cancel();
  const missing = await post("nowhere", { authorization: `Bearer ${token}` });
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
});

Deno.test("a personal token posts as its person, in their private room too", async () => {
  const { mia } = await setUp();
  const token = await createApiToken(deps.db, { userId: mia.id, name: "my script" });
  const res = await post("secret", {
    authorization: `Bearer ${token}`,
    accept: "application/json",
  });
  assert.equal(res.status, 201);
  assert.equal(await authorOf((await res.json()).id), "mia");
  const used = await deps.db.selectFrom("api_tokens").select("last_used_at")
    .where("user_id", "=", mia.id).executeTakeFirst();
  assert.ok(used?.last_used_at, "the token is marked used");
});

Deno.test("a bearer post needs no Origin while a cookie post still does", async () => {
  const { mia } = await setUp();
  const token = await createApiToken(deps.db, { userId: mia.id, name: "cli" });
  const bearer = await post("general", { authorization: `Bearer ${token}` });
  assert.equal(bearer.status, 201);
  await bearer.body?.cancel();
  const cookie = await post("general", { cookie: mia.cookie });
  assert.equal(cookie.status, 403);
  assert.match(await cookie.text(), /Origin/);
  const both = await post("general", { cookie: mia.cookie, authorization: `Bearer ${token}` });
  assert.equal(both.status, 403, "a cookie makes it a browser's request: Origin required");
  await both.body?.cancel();
  const foreign = await post("general", {
    authorization: `Bearer ${token}`,
    origin: "http://evil.example",
  });
  assert.equal(foreign.status, 403);
  await foreign.body?.cancel();
});

Deno.test("a bot cannot sign in: it has no password", async () => {
  await setUp();
  const res = await t.request("/login", { username: "robo", password: "anything-at-all" });
  assert.notEqual(res.status, 303);
  assert.equal(res.headers.getSetCookie().length, 0);
  await res.body?.cancel();
});

Deno.test("an admin cannot make a reset link for a bot, so it never gains a password", async () => {
  const { ada, bot } = await setUp();
  const res = await t.request(`/admin/users/${bot.id}/reset-link`, {}, { cookie: ada.cookie });
  assert.equal(res.status, 422);
  assert.match(await res.text(), /bots have no password/);
  assert.equal((await deps.db.selectFrom("password_resets").selectAll().execute()).length, 0);
});

Deno.test("the people list shows a bot as a bot, with no reset link", async () => {
  const { ada, bot } = await setUp();
  const page = await (await t.request("/admin/users", undefined, { cookie: ada.cookie })).text();
  const row = new RegExp(`<tr id="u-${bot.id}">[^]*?</tr>`).exec(page)?.[0] ?? "";
  assert.match(row, /bot \(member\)/);
  assert.doesNotMatch(row, /reset-link/);
});
