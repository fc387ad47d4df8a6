// Hostile text through every way user text reaches a page: bodies, edits, free reactions,
// display names and room names, rendered in pages, pushes and search results.
import assert from "node:assert/strict";
import { changesSince } from "../../db/messages.ts";
import { frameFor } from "../../views/frame.tsx";
import { requester, sessionCookie, testApp } from "../fixtures/app.ts";

// One store seeded once with the hostile corpus; every test reads it.
const t = await testApp();
Deno.test.afterAll(t.close);
const request = requester(t.app);

const CORPUS = [
  `<script>alert(1)</script>`,
  `<img src=x onerror=alert(2)>`,
  `"><svg onload=alert(3)>`,
  `<div hx-get="/logout" hx-trigger="load">x</div>`,
  `<div id="messages" hx-swap-oob="true">pwned</div>`,
  `[click](javascript:alert(4))`,
  `<a href="javascript:alert(5)">go</a>`,
  `' onmouseover='alert(6)' x='`,
  `" autofocus onfocus="alert(7)`,
];
const OUR_HX = new Set(
  ["hx-get", "hx-post", "hx-swap", "hx-target", "hx-swap-oob", "hx-ext", "hx-confirm"],
);
const OUR_OOB =
  /^<(article id="m-[0-9A-Z]{26}"|div id="cursor"|div id="messages" hx-swap-oob="beforeend")/;

const TAG = /<[a-z][^\s>]*(?:\s+[^\s"'=<>/]+(?:=(?:"[^"]*"|'[^']*'|[^\s>]+))?)*\s*\/?>/gi;
const ATTRIBUTE = /\s([^\s"'=<>/]+)(?:=(?:"[^"]*"|'[^']*'|[^\s>]+))?/g;

/** Each tag with its attribute names, read the way a browser splits a tag. */
function tags(html: string): { tag: string; names: string[] }[] {
  return (html.match(TAG) ?? []).map((tag) => ({
    tag,
    names: [...tag.matchAll(ATTRIBUTE)].map((m) => m[1].toLowerCase()),
  }));
}

/** Fails when any corpus entry became live markup in the HTML. */
function assertInert(html: string, where: string) {
  assert.doesNotMatch(html, /<script>alert|<img src=x|<svg|<div hx-get|<a href="javascript/, where);
  const all = tags(html);
  const names = all.flatMap((t) => t.names);
  assert.deepEqual(names.filter((name) => /^on/.test(name)), [], `${where}: an event handler`);
  const foreign = names.filter((name) => /^(data-)?hx-/.test(name) && !OUR_HX.has(name));
  assert.deepEqual(foreign, [], `${where}: a foreign htmx attribute`);
  assert.doesNotMatch(html, /href=["']?javascript:|hx-get="\/logout"/i, where);
  for (const { tag } of all.filter((t) => t.names.includes("hx-swap-oob"))) {
    assert.match(tag, OUR_OOB, `${where}: a foreign hx-swap-oob`);
  }
}

let ana = "", roomId = "", slug = "", afterSends = 0;
const ids: string[] = [];

Deno.test.beforeAll(async () => {
  ana = sessionCookie(await request("/guest", { nickname: "ana" }));
  const bob = sessionCookie(await request("/guest", { nickname: "bob" }));
  await t.deps.db.updateTable("users").set({ display_name: CORPUS[2] }).where(
    "username",
    "=",
    "ana",
  )
    .execute();
  await t.deps.db.updateTable("users").set({ display_name: CORPUS[7] }).where(
    "username",
    "=",
    "bob",
  )
    .execute();
  const created = await request(
    "/rooms",
    { name: `zebra ${CORPUS[0]} ${CORPUS[8]}`.slice(0, 64) },
    {
      cookie: ana,
    },
  );
  slug = created.headers.get("location")!.split("/").at(-1)!;
  await request(`/rooms/${slug}`, undefined, { cookie: bob });
  for (const payload of CORPUS) {
    await request(`/rooms/${slug}/messages`, { body: `zebra ${payload}` }, { cookie: ana });
  }
  const rows = await t.deps.db.selectFrom("messages").select(["id", "room_id", "version"])
    .orderBy("seq").execute();
  ids.push(...rows.map((r) => r.id));
  roomId = rows[0].room_id;
  afterSends = rows.at(-1)!.version;
  for (const [i, payload] of CORPUS.entries()) {
    await request(`/rooms/${slug}/messages/${ids[i]}/edit`, { body: `zebra edited ${payload}` }, {
      cookie: ana,
    });
  }
  await request(`/rooms/${slug}/messages/${ids[0]}/reactions`, { emoji: "👍" }, { cookie: bob });
});

Deno.test("the check itself catches every entry left raw, as text or in an attribute", () => {
  const raw = [...CORPUS.filter((p) => !p.startsWith("[")), `<a href="javascript:x">y</a>`];
  for (const p of raw) {
    const contexts = [`<p>${p}</p>`, `<p title="${p}">`, `<p title='${p}'>`];
    const caught = contexts.filter((html) => {
      try {
        assertInert(html, "raw");
        return false;
      } catch {
        return true;
      }
    });
    assert.ok(caught.length > 0, p);
  }
});

Deno.test("hostile text renders inert in the room page, with the text still visible as text", async () => {
  const html = await (await request(`/rooms/${slug}`, undefined, { cookie: ana })).text();
  assertInert(html, "room page");
  assert.ok(html.includes("zebra edited &lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(html.includes("&quot;&gt;&lt;svg onload=alert(3)&gt;"));
  assert.ok(html.includes(`title="&#39; onmouseover=&#39;alert(6)&#39; x=&#39;"`));
});

Deno.test("hostile text renders inert in pushed frames, appended and replaced alike", async () => {
  const all = await changesSince(t.deps.db, roomId, 0);
  assertInert(frameFor(all, 0), "appending frame");
  const changed = await changesSince(t.deps.db, roomId, afterSends);
  assert.ok(changed.length >= CORPUS.length);
  const replacing = frameFor(changed, afterSends);
  assertInert(replacing, "replacing frame");
  assert.ok(replacing.includes("edited &lt;div id=&quot;messages&quot; hx-swap-oob"));
});

Deno.test("hostile text renders inert in a refused free reaction, whose typed text comes back in the form", async () => {
  for (const payload of CORPUS) {
    const res = await request(`/rooms/${slug}/messages/${ids[1]}/reactions`, { emoji: payload }, {
      cookie: ana,
    });
    assert.equal(res.status, 422);
    assertInert(await res.text(), `reaction ${payload}`);
  }
});

Deno.test("hostile text renders inert in search results, the highlighted snippets included", async () => {
  for (const q of ["zebra", "alert", "pwned", "onmouseover", "javascript"]) {
    const res = await request(`/search?q=${encodeURIComponent(q)}`, undefined, { cookie: ana });
    const html = await res.text();
    assertInert(html, `search ${q}`);
    assert.match(html, /<mark>/, `search ${q} highlights`);
  }
  const hostileQuery = await request(
    `/search?q=${encodeURIComponent(CORPUS[1] + CORPUS[3])}`,
    undefined,
    { cookie: ana },
  );
  assertInert(await hostileQuery.text(), "hostile query");
});

Deno.test("a sentinel character in a body cannot fake a highlight", async () => {
  const faked = await request(`/rooms/${slug}/messages`, {
    body: "quokka \u0002<b>fake</b>\u0003 end",
  }, { cookie: ana });
  // Control characters are refused outright (db/text.ts); the search still shows no fake.
  assert.equal(faked.status, 422);
  await request(`/rooms/${slug}/messages`, { body: "quokka <b>fake</b> end" }, { cookie: ana });
  const html = await (await request("/search?q=quokka", undefined, { cookie: ana })).text();
  assert.match(html, /<mark>quokka<\/mark>/);
  assert.doesNotMatch(html, /<mark>[^<]*fake/);
});
