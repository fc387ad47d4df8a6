// Security headers on every kind of answer: page, static file, redirect, 404, 413, htmx
// fragment and event stream; htmx configured without eval, script tags or foreign requests.
import assert from "node:assert/strict";
import { CONTENT_SECURITY_POLICY } from "../../routes/headers.ts";
import { requester, testApp } from "../fixtures/app.ts";
import { person, room } from "../fixtures/people.ts";

function assertHeaders(res: Response, what: string) {
  const csp = res.headers.get("content-security-policy") ?? "";
  assert.equal(csp, CONTENT_SECURITY_POLICY, what);
  assert.match(csp, /script-src 'self';/, what);
  assert.match(csp, /frame-ancestors 'none'/, what);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, what);
  assert.equal(res.headers.get("x-content-type-options"), "nosniff", what);
  assert.equal(res.headers.get("referrer-policy"), "same-origin", what);
  assert.equal(res.headers.get("x-frame-options"), "DENY", what);
}

Deno.test("every kind of response carries the security headers", async () => {
  await using t = await testApp();
  const request = requester(t.app);
  const ana = await person(t.deps.db, "ana", "member");
  await room(t.deps.db, "general", { members: [ana] });
  const cookie = { cookie: ana.cookie };
  const answers: [string, Response][] = [
    ["lobby page", await request("/")],
    ["room page", await request("/rooms/general", undefined, cookie)],
    ["static file", await request("/static/app.css")],
    ["htmx script", await request("/static/htmx.min.js")],
    ["controls stylesheet", await request("/controls.css?for=admin")],
    ["redirect", await request("/rooms/general/messages", { body: "hi" }, cookie)],
    ["signed-out redirect", await request("/rooms/general")],
    ["404", await request("/no/such/page", undefined, cookie)],
    ["413", await request("/signup", { username: "x".repeat(70_000) })],
    ["422", await request("/rooms", { name: "!!!" }, cookie)],
    [
      "fragment",
      await request("/rooms/general/messages?before=5", undefined, {
        ...cookie,
        "hx-request": "true",
      }),
    ],
    ["event stream", await request("/rooms/general/events", undefined, cookie)],
  ];
  for (const [what, res] of answers) {
    assertHeaders(res, `${what} (${res.status})`);
    await res.body?.cancel();
  }
  assert.equal(answers.find(([w]) => w === "404")![1].status, 404);
  assert.match(
    answers.find(([w]) => w === "event stream")![1].headers.get("content-type")!,
    /event-stream/,
  );
});

Deno.test("htmx is configured without eval, script tags or other origins", async () => {
  await using t = await testApp();
  const ana = await person(t.deps.db, "ana", "member");
  await room(t.deps.db, "general", { members: [ana] });
  const html = await (await requester(t.app)("/rooms/general", undefined, {
    cookie: ana.cookie,
  })).text();
  const meta = html.match(/<meta name="htmx-config" content="([^"]+)"/)![1];
  const config = JSON.parse(meta.replaceAll("&quot;", '"'));
  assert.equal(config.allowEval, false);
  assert.equal(config.allowScriptTags, false);
  assert.equal(config.selfRequestsOnly, true);
  assert.equal(config.includeIndicatorStyles, false);
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)/, "no inline script");
  assert.doesNotMatch(html, /\sstyle="|<style/, "no inline style");
  assert.match(html, new RegExp(`<link rel="stylesheet" href="/controls.css\\?for=${ana.id}"`));
  const css = await (await requester(t.app)(`/controls.css?for=${ana.id}`)).text();
  assert.match(css, /\.own\{display:inline\}/);
});
