// The account page (issue 21): change the password and the reset email with plain forms;
// refusals show in the page, not as plain text.
import assert from "node:assert/strict";
import { emailProblem, findUserByName } from "../../db/users.ts";
import { requester, sessionCookie, testApp } from "../fixtures/app.ts";
import { STORES } from "../fixtures/store.ts";

const ANA = { username: "ana", password: "correct horse" };
const env = { LOGIN_DELAY_MS: "5", LOGIN_DELAY_MAX_MS: "40" };

for (const kind of STORES) {
  Deno.test(`[${kind}] the account page changes the password, showing refusals in the page`, async () => {
    await using t = await testApp(env, kind);
    const request = requester(t.app);
    const here = sessionCookie(await request("/signup", ANA));
    const there = sessionCookie(await request("/login", ANA));
    const page = await request("/account", undefined, { cookie: here });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form[^>]*action="\/account\/password"/);
    const change = (current: string, next: string) =>
      request("/account/password", { current_password: current, new_password: next }, {
        cookie: here,
      });
    const wrong = await change("wrong horse", "new horse!");
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get("content-type") ?? "", /text\/html/);
    assert.match(await wrong.text(), /role="alert">The current password is wrong/);
    const weak = await change(ANA.password, "short");
    assert.equal(weak.status, 422);
    assert.match(await weak.text(), /at least 8 characters/);
    const done = await change(ANA.password, "new horse!");
    assert.equal(done.status, 303);
    assert.equal(done.headers.get("location"), "/account?done=password");
    const after = await request("/account?done=password", undefined, { cookie: here });
    assert.match(await after.text(), /Password changed; your other devices were signed out/);
    assert.equal((await request("/account", undefined, { cookie: there })).status, 401);
  });
}

Deno.test("the reset email is saved only with the current password, and checked", async () => {
  await using t = await testApp(env);
  const request = requester(t.app);
  const cookie = sessionCookie(await request("/signup", ANA));
  const save = (email: string, current = ANA.password) =>
    request("/account/email", { email, current_password: current }, { cookie });
  assert.equal((await save("ana@example.test", "wrong horse")).status, 401);
  assert.equal((await findUserByName(t.deps.db, "ana"))?.email, null);
  const bad = await save("not an address");
  assert.equal(bad.status, 422);
  assert.match(await bad.text(), /Email must be an address/);
  assert.equal((await save("ana@example.test")).status, 303);
  assert.equal((await findUserByName(t.deps.db, "ana"))?.email, "ana@example.test");
  assert.match(await (await request("/account", undefined, { cookie })).text(), /ana@example.test/);
  assert.equal((await save("")).status, 303, "blank removes it");
  assert.equal((await findUserByName(t.deps.db, "ana"))?.email, null);
});

Deno.test("a guest's account page says there is no password to change", async () => {
  await using t = await testApp(env);
  const request = requester(t.app);
  const cookie = sessionCookie(await request("/guest", { nickname: "gus" }));
  assert.match(
    await (await request("/account", undefined, { cookie })).text(),
    /Guests have no password/,
  );
  const post = await request("/account/password", { current_password: "", new_password: "x" }, {
    cookie,
  });
  assert.equal(post.status, 403);
});

Deno.test("an email with control characters or a second line is refused", () => {
  for (
    const email of ["ana\0@example.test", "ana@example.test\r\nBcc: x@y.z", "a b@example.test"]
  ) {
    assert.match(emailProblem(email) ?? "", /Email must be an address/, JSON.stringify(email));
  }
  assert.equal(emailProblem("ana.o'neil+chat@example.co.uk"), null);
});
