// Bounded input in-process: a request body past the limit is refused with a short readable
// reason that echoes nothing (the real-server cases are in tests/sockets/limits_test.ts).
import assert from "node:assert/strict";
import { MAX_REQUEST_BODY } from "../../routes/limits.tsx";
import { requester, testApp } from "../fixtures/app.ts";
import { person, room } from "../fixtures/people.ts";

const MB = 1024 * 1024;

Deno.test("a form post over the limit is 413 with a short visible reason", async () => {
  await using t = await testApp();
  const request = requester(t.app);
  const big = "x".repeat(MB);
  const signup = await request("/signup", { username: "ana", password: big });
  assert.equal(signup.status, 413);
  const html = await signup.text();
  assert.match(html, /too large: at most 64 KB/);
  assert.ok(html.length < 4096, `the refusal echoes nothing: ${html.length} bytes`);
  const ana = await person(t.deps.db, "ana", "member");
  await room(t.deps.db, "general", { members: [ana] });
  const htmx = { cookie: ana.cookie, "hx-request": "true" };
  const sent = await request("/rooms/general/messages", { body: big }, htmx);
  assert.equal(sent.status, 413);
  assert.equal(sent.headers.get("hx-reswap"), "none");
  assert.match(await sent.text(), /id="notices" hx-swap-oob="beforeend".*too large/s);
  const fits = await request("/rooms/general/messages", { body: "ok" }, { cookie: ana.cookie });
  assert.equal(fits.status, 303);
  assert.ok(MAX_REQUEST_BODY >= 48 * 1024, "a 4000-character message always fits");
});
