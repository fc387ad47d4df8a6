import assert from "node:assert/strict";
import { appForFile } from "../fixtures/app.ts";
import { person, room } from "../fixtures/people.ts";

const t = await appForFile();

/** The token a page shows once, or undefined. */
function shownToken(page: string): string | undefined {
  return /value="([0-9A-Z]{26}\.[A-Za-z0-9_-]{32})"/.exec(page)?.[1];
}

function postAs(token: string, body: string) {
  return t.app.request("http://localhost/rooms/general/messages", {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: new URLSearchParams({ body }),
  });
}

Deno.test("a person makes a token on the account page, uses it, and revokes it", async () => {
  const mia = await person(t.deps.db, "mia", "member");
  await room(t.deps.db, "general");
  const made = await t.request("/account/tokens", { name: "laptop script" }, {
    cookie: mia.cookie,
  });
  assert.equal(made.status, 201);
  assert.equal(made.headers.get("cache-control"), "no-store");
  const token = shownToken(await made.text());
  assert.ok(token, "the token is shown once");
  const listed = await (await t.request("/account", undefined, { cookie: mia.cookie })).text();
  assert.match(listed, /laptop script/);
  assert.match(listed, /never/);
  assert.equal(shownToken(listed), undefined, "the list never shows a token again");

  const sent = await postAs(token, "from my script");
  assert.equal(sent.status, 201);
  await sent.body?.cancel();
  const used = await (await t.request("/account", undefined, { cookie: mia.cookie })).text();
  assert.doesNotMatch(used, />never</);

  const id = token.split(".")[0];
  const revoked = await t.request(`/account/tokens/${id}/revoke`, {}, { cookie: mia.cookie });
  assert.equal(revoked.status, 303);
  const after = await postAs(token, "again");
  assert.equal(after.status, 401);
  await after.body?.cancel();
  assert.match(
    await (await t.request("/account", undefined, { cookie: mia.cookie })).text(),
    /revoked/,
  );
});

Deno.test("nobody revokes someone else's token, and guests make none", async () => {
  const mia = await person(t.deps.db, "mia", "member");
  const nia = await person(t.deps.db, "nia", "member");
  const gus = await person(t.deps.db, "gus", "guest");
  const made = await t.request("/account/tokens", { name: "x" }, { cookie: mia.cookie });
  const id = shownToken(await made.text())!.split(".")[0];
  const theirs = await t.request(`/account/tokens/${id}/revoke`, {}, { cookie: nia.cookie });
  assert.equal(theirs.status, 404);
  await theirs.body?.cancel();
  const guest = await t.request("/account/tokens", { name: "x" }, { cookie: gus.cookie });
  assert.equal(guest.status, 403);
  await guest.body?.cancel();
  const unnamed = await t.request("/account/tokens", { name: " " }, { cookie: mia.cookie });
  assert.equal(unnamed.status, 422);
  await unnamed.body?.cancel();
});
