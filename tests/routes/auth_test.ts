import assert from "node:assert/strict";
import { findUserByName } from "../../db/users.ts";
import { appForFile, formInit, sessionCookie } from "../fixtures/app.ts";

// Small login delays keep the throttle's tests fast (tests/routes/login_throttle_test.ts).
const t = await appForFile({ LOGIN_DELAY_MS: "5", LOGIN_DELAY_MAX_MS: "40" });

const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  t.app.request(`http://localhost${path}`, formInit(fields, headers));
const get = (path: string, cookie = "") =>
  t.app.request(`http://localhost${path}`, { headers: { cookie, accept: "text/html" } });

Deno.test("signing up starts a session and the first account becomes admin", async () => {
  const res = await post("/signup", { username: "Ana", password: "correct horse" });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/");
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("sid="))!;
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Lax/i);
  assert.equal((await findUserByName(t.deps.db, "ana"))?.role, "admin");
  await post("/signup", { username: "bob", password: "correct horse" });
  assert.equal((await findUserByName(t.deps.db, "bob"))?.role, "member");
});

Deno.test("the session cookie is Secure outside localhost", async () => {
  const res = await t.app.request(
    "https://chat.example.com/signup",
    formInit({ username: "ana", password: "correct horse" }, {
      origin: "https://chat.example.com",
    }),
  );
  assert.match(res.headers.getSetCookie().join(";"), /Secure/);
});

Deno.test("a duplicate username is refused, case-insensitively, keeping what was typed", async () => {
  await post("/signup", { username: "ana", password: "correct horse" });
  const res = await post("/signup", { username: "ANA", password: "correct horse" });
  assert.equal(res.status, 422);
  const html = await res.text();
  assert.match(html, /That username is taken/);
  assert.match(html, /value="ANA"/);
});

for (
  const [username, password, message] of [
    ["a", "correct horse", "at least 2 characters"],
    ["x".repeat(33), "correct horse", "at most 32 characters"],
    ["ana<script>", "correct horse", "only letters, digits"],
    ["ana", "short", "at least 8 characters"],
    ["ana", "password1", "too common"],
    ["anabanana", "anabanana", "same as the username"],
  ]
) {
  Deno.test(`signup refuses ${JSON.stringify(username.slice(0, 12))} / ${JSON.stringify(password)}`, async () => {
    const res = await post("/signup", { username, password });
    assert.equal(res.status, 422);
    assert.match(await res.text(), new RegExp(message));
    assert.equal(await findUserByName(t.deps.db, username), null);
  });
}

Deno.test("a wrong password is refused and repeated failures slow, never refuse, the right one", async () => {
  await post("/signup", { username: "ana", password: "correct horse" });
  const wrong = await post("/login", { username: "ana", password: "wrong horse" });
  assert.equal(wrong.status, 401);
  assert.match(await wrong.text(), /Wrong username or password/);
  for (let i = 0; i < 4; i++) await post("/login", { username: "ana", password: "nope nope" });
  const right = await post("/login", { username: "ana", password: "correct horse" });
  assert.equal(right.status, 303);
});

Deno.test("logging in rotates the session and logging out ends it on the server", async () => {
  const first = sessionCookie(
    await post("/signup", { username: "ana", password: "correct horse" }),
  );
  const login = await post("/login", { username: "ana", password: "correct horse" }, {
    cookie: first,
  });
  assert.equal(login.status, 303);
  const second = sessionCookie(login);
  assert.notEqual(second, first);
  assert.equal((await get("/rooms/any", first)).status, 303, "the old session is gone");
  await post("/logout", {}, { cookie: second });
  const after = await get("/", second);
  assert.match(await after.text(), /Join as guest/);
});

Deno.test("a guest gets a readable random name when the nickname is blank", async () => {
  const res = await post("/guest", { nickname: "" });
  assert.equal(res.status, 303);
  const page = await (await get("/", sessionCookie(res))).text();
  assert.match(page, /[a-z]+-[a-z]+-\d\d<small class="role">guest/);
});

Deno.test("a guest nickname that is taken is refused with a message", async () => {
  await post("/signup", { username: "ana", password: "correct horse" });
  const res = await post("/guest", { nickname: "Ana" });
  assert.equal(res.status, 422);
  assert.match(await res.text(), /That name is taken/);
});

Deno.test("a form post from a foreign or missing Origin is refused", async () => {
  const foreign = await post("/signup", { username: "ana", password: "correct horse" }, {
    origin: "https://evil.example",
  });
  assert.equal(foreign.status, 403);
  const missing = await t.app.request("http://localhost/signup", {
    method: "POST",
    body: new URLSearchParams({ username: "ana", password: "correct horse" }),
  });
  assert.equal(missing.status, 403);
  assert.equal(await findUserByName(t.deps.db, "ana"), null);
});
