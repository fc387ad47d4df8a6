// The room's log for the page's frame with JavaScript off: the read rule, the latest
// messages, a refresh that really reloads, and the only answer that may be framed (by us).
import assert from "node:assert/strict";
import { requester, sessionCookie, testApp } from "../fixtures/app.ts";

Deno.test("the no-script log shows the latest messages, refreshes, and only we may frame it", async () => {
  await using t = await testApp();
  const request = requester(t.app);
  const ana = sessionCookie(await request("/guest", { nickname: "ana" }));
  const bob = sessionCookie(await request("/guest", { nickname: "bob" }));
  await request("/rooms", { name: "open" }, { cookie: ana });
  await request("/rooms", { name: "secret", kind: "private" }, { cookie: ana });
  await request("/rooms/open/messages", { body: "hello there" }, { cookie: ana });

  const log = await request("/rooms/open/log", undefined, { cookie: bob });
  assert.equal(log.status, 200);
  const html = await log.text();
  assert.match(html, /hello there/);
  assert.match(html, /http-equiv="refresh" content="15;url=\/rooms\/open\/log\?at=\d+#end"/);
  assert.match(html, /<base target="_top">/);
  assert.equal(log.headers.get("x-frame-options"), "SAMEORIGIN");
  assert.match(log.headers.get("content-security-policy")!, /frame-ancestors 'self'/);

  const page = await request("/rooms/open", undefined, { cookie: bob });
  assert.equal(page.headers.get("x-frame-options"), "DENY");
  assert.match(page.headers.get("content-security-policy")!, /frame-ancestors 'none'/);
  assert.match(
    await page.text(),
    /<noscript><iframe class="nojs-log" src="\/rooms\/open\/log#end"/,
  );

  const refused = await request("/rooms/secret/log", undefined, { cookie: bob });
  assert.equal(refused.status, 403);
  await refused.body?.cancel();
});
