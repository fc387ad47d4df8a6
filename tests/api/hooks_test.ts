import assert from "node:assert/strict";
import { appForFile, testApp } from "../fixtures/app.ts";
import { person, room } from "../fixtures/people.ts";

const t = await appForFile();

/** An admin's form post to the bots page, as a browser sends it. */
async function adminPost(cookie: string, path: string, fields: Record<string, string>) {
  return await t.request(`/admin/bots${path}`, fields, { cookie });
}

function hook(url: string, body: string, app = t.app) {
  return app.request(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
}

/** An admin makes a bot and a webhook for #general through the page; the URL shown once. */
async function madeHook() {
  const ada = await person(t.deps.db, "ada", "admin");
  await room(t.deps.db, "general");
  const made = await adminPost(ada.cookie, "", { username: "ci", webhook_url: "" });
  assert.equal(made.status, 201);
  const page = await made.text();
  assert.match(page, /The bot&#39;s token|The bot's token/);
  const bot = await t.deps.db.selectFrom("users").select("id").where("username", "=", "ci")
    .executeTakeFirstOrThrow();
  const res = await adminPost(ada.cookie, "/hooks", { room: "general", bot: bot.id });
  assert.equal(res.status, 201);
  const url = /value="(http:\/\/localhost\/hooks\/[^"]+)"/.exec(await res.text())?.[1];
  assert.ok(url, "the page shows the webhook URL");
  return { ada, url };
}

Deno.test("an incoming webhook posts to its room as its bot, with no cookie and no Origin", async () => {
  const { url } = await madeHook();
  const res = await hook(url, JSON.stringify({ text: "deployed v2" }));
  assert.equal(res.status, 201);
  const { id } = await res.json();
  const row = await t.deps.db.selectFrom("messages").innerJoin("users", "users.id", "author_id")
    .select(["username", "body"]).where("messages.id", "=", id).executeTakeFirstOrThrow();
  assert.deepEqual(row, { username: "ci", body: "deployed v2" });
});

Deno.test("a webhook with a wrong secret, or revoked, posts nothing", async () => {
  const { ada, url } = await madeHook();
  const wrong = await hook(`${url.slice(0, -3)}abc`, JSON.stringify({ text: "x" }));
  assert.equal(wrong.status, 404);
  assert.match((await wrong.json()).error, /wrong or was revoked/);
  const id = url.split("/hooks/")[1].split(".")[0];
  const revoked = await adminPost(ada.cookie, `/hooks/${id}/revoke`, {});
  assert.equal(revoked.status, 303);
  const after = await hook(url, JSON.stringify({ text: "x" }));
  assert.equal(after.status, 404);
  await after.body?.cancel();
  assert.equal((await t.deps.db.selectFrom("messages").selectAll().execute()).length, 0);
});

Deno.test("a webhook body that is not a JSON object with text is a 400", async () => {
  const { url } = await madeHook();
  for (const body of ["text=hi", "[1]", JSON.stringify({ text: 5 })]) {
    const res = await hook(url, body);
    assert.equal(res.status, 400, body);
    assert.match((await res.json()).error, /"text"/);
  }
  const long = await hook(url, JSON.stringify({ text: "x".repeat(5000) }));
  assert.equal(long.status, 422);
  await long.body?.cancel();
});

Deno.test("only admins make webhooks", async () => {
  const mia = await person(t.deps.db, "mia", "member");
  const res = await adminPost(mia.cookie, "", { username: "sneaky" });
  assert.equal(res.status, 403);
  await res.body?.cancel();
});

Deno.test("a webhook is rate limited like a person", async () => {
  await using r = await testApp({ SEND_RATE: "1" });
  const ada = await person(r.deps.db, "ada", "admin");
  await room(r.deps.db, "general");
  const post = (path: string, fields: Record<string, string>) =>
    r.app.request(`http://localhost/admin/bots${path}`, {
      method: "POST",
      headers: { origin: "http://localhost", cookie: ada.cookie },
      body: new URLSearchParams(fields),
    });
  await (await post("", { username: "ci" })).body?.cancel();
  const bot = await r.deps.db.selectFrom("users").select("id").where("username", "=", "ci")
    .executeTakeFirstOrThrow();
  const page = await (await post("/hooks", { room: "general", bot: bot.id })).text();
  const url = /value="(http:\/\/localhost\/hooks\/[^"]+)"/.exec(page)![1];
  const statuses = [];
  for (let i = 0; i < 4; i++) {
    const res = await hook(url, JSON.stringify({ text: `n${i}` }), r.app);
    statuses.push(res.status);
    await res.body?.cancel();
  }
  assert.deepEqual(statuses, [201, 201, 429, 429]);
});
