// Static files go out compressed (br, gzip) when the client accepts it, under strong ETags,
// cached a year by content-hashed URL and revalidated by plain URL; the favicon is answered.
import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { chooseCoding } from "../../routes/static.ts";
import { ASSETS, contentHash, hashedName, staticUrl } from "../../views/assets.ts";
import { testApp } from "../fixtures/app.ts";

const FILES = ["htmx.min.js", "ws.js", "sse.js", "chat.js", "app.css"];
const ALL = new Set(["br", "gzip", "identity"] as const);

type App = Awaited<ReturnType<typeof testApp>>["app"];

function get(app: App, path: string, headers: Record<string, string> = {}) {
  return Promise.resolve(app.request(`http://localhost${path}`, { headers }));
}

function onDisk(name: string) {
  return Deno.readFile(ASSETS.get(name)!.path);
}

// One app for the file: static files are read and compressed once, when the app starts, and
// nothing here writes.
const t = await testApp();
Deno.test.afterAll(t.close);

async function withApp(run: (app: App) => Promise<void>) {
  await run(t.app);
}

Deno.test("each file is sent with brotli when the client accepts it", async () => {
  await withApp(async (app) => {
    for (const name of FILES) {
      const res = await get(app, `/static/${name}`, { "accept-encoding": "gzip, deflate, br" });
      assert.equal(res.status, 200, name);
      assert.equal(res.headers.get("content-encoding"), "br", name);
      const body = brotliDecompressSync(new Uint8Array(await res.arrayBuffer()));
      assert.deepEqual(new Uint8Array(body), await onDisk(name), name);
    }
  });
});

Deno.test("each file is sent with gzip when the client accepts gzip but not brotli", async () => {
  await withApp(async (app) => {
    for (const name of FILES) {
      const res = await get(app, `/static/${name}`, { "accept-encoding": "gzip, br;q=0" });
      assert.equal(res.headers.get("content-encoding"), "gzip", name);
      const body = gunzipSync(new Uint8Array(await res.arrayBuffer()));
      assert.deepEqual(new Uint8Array(body), await onDisk(name), name);
    }
  });
});

Deno.test("each file is sent as it is to a client that accepts no compression", async () => {
  await withApp(async (app) => {
    for (const name of FILES) {
      const res = await get(app, `/static/${name}`);
      assert.equal(res.headers.get("content-encoding"), null, name);
      assert.equal(res.headers.get("vary"), "Accept-Encoding", name);
      assert.deepEqual(new Uint8Array(await res.arrayBuffer()), await onDisk(name), name);
    }
  });
});

Deno.test("the coding follows Accept-Encoding: brotli first, then gzip, never one refused", () => {
  assert.equal(chooseCoding("br;q=0.1, gzip", ALL), "br");
  assert.equal(chooseCoding("GZIP", ALL), "gzip");
  assert.equal(chooseCoding("*", ALL), "br");
  assert.equal(chooseCoding("*, br;q=0", ALL), "gzip");
  assert.equal(chooseCoding("deflate", ALL), "identity");
  assert.equal(chooseCoding(undefined, ALL), "identity");
  assert.equal(chooseCoding("br", new Set(["identity"] as const)), "identity");
});

Deno.test("a file's ETag differs per coding and If-None-Match answers 304 without a body", async () => {
  await withApp(async (app) => {
    const etags = new Set<string>();
    for (const accept of ["br", "gzip", "identity"]) {
      const res = await get(app, "/static/app.css", { "accept-encoding": accept });
      await res.body?.cancel();
      const etag = res.headers.get("etag")!;
      assert.match(etag, /^"[0-9a-f]{16}(-br|-gzip)?"$/);
      etags.add(etag);
      const again = await get(app, "/static/app.css", {
        "accept-encoding": accept,
        "if-none-match": `"other", W/${etag}`,
      });
      assert.equal(again.status, 304, accept);
      assert.equal(again.headers.get("etag"), etag);
      assert.equal(again.headers.get("vary"), "Accept-Encoding");
      assert.equal(await again.text(), "");
    }
    assert.equal(etags.size, 3);
    const stale = await get(app, "/static/app.css", { "if-none-match": '"0000000000000000"' });
    assert.equal(stale.status, 200);
    await stale.body?.cancel();
  });
});

Deno.test("a hashed URL is cached a year and a plain URL is revalidated", async () => {
  await withApp(async (app) => {
    const url = staticUrl("app.css");
    assert.match(url, /^\/static\/app\.[0-9a-f]{16}\.css$/);
    const hashed = await get(app, url);
    assert.equal(hashed.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.deepEqual(new Uint8Array(await hashed.arrayBuffer()), await onDisk("app.css"));
    const plain = await get(app, "/static/app.css");
    assert.equal(plain.headers.get("cache-control"), "no-cache");
    await plain.body?.cancel();
  });
});

Deno.test("a hash from before a deploy gets today's file, revalidated, not cached a year", async () => {
  await withApp(async (app) => {
    const res = await get(app, "/static/chat.0123456789abcdef.js");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "no-cache");
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), await onDisk("chat.js"));
  });
});

Deno.test("the hashed name changes when the content changes", async () => {
  const before = await contentHash(new TextEncoder().encode("body { color: red }"));
  const after = await contentHash(new TextEncoder().encode("body { color: blue }"));
  assert.notEqual(before, after);
  assert.equal(before, await contentHash(new TextEncoder().encode("body { color: red }")));
  assert.equal(hashedName("htmx.min.js", before), `htmx.min.${before}.js`);
});

Deno.test("pages link every static file and the icon by hashed URL", async () => {
  await withApp(async (app) => {
    const page = await (await get(app, "/")).text();
    for (const name of [...FILES, "favicon.svg"]) assert.ok(page.includes(staticUrl(name)), name);
    assert.match(page, /<link rel="icon" href="\/static\/favicon\.[0-9a-f]{16}\.svg"/);
  });
});

Deno.test("the favicon is an SVG without script, and /favicon.ico points at it", async () => {
  await withApp(async (app) => {
    const svg = await get(app, "/favicon.svg");
    assert.equal(svg.status, 200);
    assert.equal(svg.headers.get("content-type"), "image/svg+xml; charset=utf-8");
    assert.equal(svg.headers.get("x-content-type-options"), "nosniff");
    assert.doesNotMatch(await svg.text(), /<script|on\w+=|javascript:/i);
    const ico = await get(app, "/favicon.ico");
    assert.equal(ico.status, 301);
    assert.equal(ico.headers.get("location"), "/favicon.svg");
  });
});

Deno.test("an unknown static file is 404", async () => {
  await withApp(async (app) => {
    for (const path of ["/static/nope.js", "/static/nope.0123456789abcdef.js"]) {
      const res = await get(app, path);
      assert.equal(res.status, 404, path);
      await res.body?.cancel();
    }
  });
});
