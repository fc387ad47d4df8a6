// Files sent with messages (issue 20): upload as a form without JavaScript and as htmx, served
// back to the room's readers only, with headers that keep a browser from running them.
import assert from "node:assert/strict";
import { testApp } from "../fixtures/app.ts";
import { DOT_PNG, gifHeader } from "../fixtures/images.ts";
import { accessFixture } from "../fixtures/people.ts";
import { STORES } from "../fixtures/store.ts";

type App = Awaited<ReturnType<typeof testApp>>;
type Part = { name: string; bytes: Uint8Array<ArrayBuffer> | string; type?: string };

/** Posts a message with files as a browser's multipart form does. */
function upload(t: App, slug: string, cookie: string, parts: Part[], extra = {}) {
  const form = new FormData();
  form.set("body", (extra as { body?: string }).body ?? "");
  for (const p of parts) {
    form.append("files", new File([p.bytes], p.name, { type: p.type ?? "text/plain" }));
  }
  const headers = {
    origin: "http://localhost",
    cookie,
    ...(extra as { headers?: object }).headers,
  };
  return t.app.request(`http://localhost/rooms/${slug}/messages`, {
    method: "POST",
    body: form,
    headers,
    redirect: "manual",
  });
}

/** The ids of the files the room's page links to, in order. */
async function fileIds(t: App, slug: string, cookie: string): Promise<string[]> {
  const page = await (await t.app.request(`/rooms/${slug}`, { headers: { cookie } })).text();
  return [...page.matchAll(/href="\/rooms\/[^/]+\/files\/([0-9A-Z]+)"/g)].map((m) => m[1]);
}

const get = (t: App, path: string, cookie: string, headers = {}) =>
  t.app.request(`http://localhost${path}`, { headers: { cookie, ...headers } });

const HTML = "<!doctype html><title>x</title><script>document.title='ran'</script>";
const SVG = "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>";

for (const kind of STORES) {
  Deno.test(`[${kind}] a member sends files without JavaScript and reads the same bytes back`, async () => {
    await using t = await testApp({}, kind);
    const { mia } = await accessFixture(t.deps.db);
    const sent = await upload(t, "secret", mia.cookie, [
      { name: "dot.png", bytes: DOT_PNG, type: "text/html" },
      { name: "page.html", bytes: HTML, type: "text/html" },
      { name: "über «plan».svg", bytes: SVG, type: "image/svg+xml" },
    ], { body: "three files" });
    assert.equal(sent.status, 303);
    const page = await (await get(t, "/rooms/secret", mia.cookie)).text();
    assert.match(page, /three files/);
    assert.match(
      page,
      /<img src="\/rooms\/secret\/files\/\w+" alt="dot.png" width="1" height="1" loading="lazy"/,
    );
    assert.match(page, /page.html<\/span><span class="meta">HTML file, 68 bytes/);
    assert.doesNotMatch(page, /<img[^>]+alt="[^"]*svg"/, "an SVG is never an image here");
    const [png, html, svg] = await fileIds(t, "secret", mia.cookie);

    const image = await get(t, `/rooms/secret/files/${png}`, mia.cookie);
    assert.equal(image.status, 200);
    assert.deepEqual(new Uint8Array(await image.arrayBuffer()), DOT_PNG);
    assert.equal(image.headers.get("content-type"), "image/png", "sniffed, not the client's type");
    assert.equal(image.headers.get("content-length"), String(DOT_PNG.length));
    assert.equal(
      image.headers.get("content-disposition"),
      `inline; filename="dot.png"; filename*=UTF-8''dot.png`,
    );
    assert.equal(image.headers.get("x-content-type-options"), "nosniff");
    assert.match(image.headers.get("content-security-policy")!, /^sandbox; default-src 'none'/);
    assert.match(image.headers.get("cache-control")!, /^private, .*immutable/);
    const etag = image.headers.get("etag")!;
    const again = await get(t, `/rooms/secret/files/${png}`, mia.cookie, { "if-none-match": etag });
    assert.equal(again.status, 304);

    for (const [id, text] of [[html, HTML], [svg, SVG]]) {
      const res = await get(t, `/rooms/secret/files/${id}`, mia.cookie);
      assert.equal(await res.text(), text);
      assert.equal(res.headers.get("content-type"), "application/octet-stream");
      assert.match(res.headers.get("content-disposition")!, /^attachment; /);
      assert.match(res.headers.get("content-security-policy")!, /^sandbox;/);
    }
    const named = (await get(t, `/rooms/secret/files/${svg}`, mia.cookie)).headers;
    assert.equal(
      named.get("content-disposition"),
      `attachment; filename="_ber _plan_.svg"; filename*=UTF-8''%C3%BCber%20%C2%ABplan%C2%BB.svg`,
    );
  });

  Deno.test(`[${kind}] only the room's readers get its files`, async () => {
    await using t = await testApp({}, kind);
    const { mia, nia, gus, ada } = await accessFixture(t.deps.db);
    assert.equal(
      (await upload(t, "secret", mia.cookie, [{ name: "a.txt", bytes: "a" }])).status,
      303,
    );
    assert.equal(
      (await upload(t, "noguests", ada.cookie, [{ name: "b.txt", bytes: "b" }])).status,
      303,
    );
    const [secret] = await fileIds(t, "secret", mia.cookie);
    const [noguests] = await fileIds(t, "noguests", ada.cookie);
    // Refused as the room itself is: the read rule is applied once, by routes/room.tsx.
    const outsider = await get(t, `/rooms/secret/files/${secret}`, nia.cookie);
    assert.equal(outsider.status, (await get(t, "/rooms/secret", nia.cookie)).status);
    assert.equal(outsider.status, 403);
    assert.doesNotMatch(await outsider.text(), /^a$/);
    assert.equal((await get(t, `/rooms/noguests/files/${noguests}`, gus.cookie)).status, 403);
    assert.equal((await get(t, `/rooms/noguests/files/${noguests}`, nia.cookie)).status, 200);
    assert.equal(
      (await get(t, `/rooms/noguests/files/${secret}`, nia.cookie)).status,
      404,
      "another room's file",
    );
    assert.equal((await get(t, `/rooms/secret/files/${secret}`, "")).status, 401);
  });
}

Deno.test("htmx sends files with an answer of the composer, and the message shows them", async () => {
  await using t = await testApp();
  const { mia } = await accessFixture(t.deps.db);
  const sent = await upload(t, "lounge", mia.cookie, [{
    name: "g.gif",
    bytes: gifHeader(640, 200),
  }], {
    headers: { "hx-request": "true" },
  });
  assert.equal(sent.status, 200);
  assert.match(await sent.text(), /id="composer"/);
  const older = await get(t, "/rooms/lounge/messages?before=99", mia.cookie, {
    "hx-request": "true",
  });
  assert.match(
    await older.text(),
    /<img [^>]*alt="g.gif" width="360" height="113"/,
    "scaled to 360 wide",
  );
});

Deno.test("bad uploads are refused with a reason, never a 500", async () => {
  await using t = await testApp({ FILE_MAX_BYTES: "1000" });
  const { mia } = await accessFixture(t.deps.db);
  const file = (name: string, bytes: Uint8Array<ArrayBuffer> | string = "x") => ({ name, bytes });
  const cases: [Part[], number, RegExp][] = [
    [[1, 2, 3, 4, 5].map((i) => file(`${i}.txt`)), 422, /At most 4 files/],
    [[file("empty.txt", "")], 422, /empty.txt is empty/],
    [[file(`${"n".repeat(256)}.txt`)], 422, /A file name is too long/],
    [[file("a\u0007.txt")], 422, /control characters/],
    [[file("big.bin", new Uint8Array(1001))], 413, /at most 1000 bytes|at most 1 KB/],
    [[], 422, /Message is empty/],
  ];
  for (const [parts, status, reason] of cases) {
    const res = await upload(t, "lounge", mia.cookie, parts);
    assert.equal(res.status, status, String(reason));
    assert.match(await res.text(), reason);
  }
  assert.equal((await upload(t, "nowhere", mia.cookie, [file("a.txt")])).status, 404);
  assert.deepEqual(await fileIds(t, "lounge", mia.cookie), [], "nothing was stored");
});

Deno.test("a message's files get the upload limit; every other form keeps 64 KB", async () => {
  await using t = await testApp({ FILE_MAX_BYTES: String(200 * 1024) });
  const { mia } = await accessFixture(t.deps.db);
  const big = new Uint8Array(150 * 1024).fill(0x61);
  assert.equal(
    (await upload(t, "lounge", mia.cookie, [{ name: "a.bin", bytes: big }])).status,
    303,
  );
  const form = new FormData();
  form.set("files", new File([big], "a.bin"));
  const elsewhere = await t.app.request("http://localhost/rooms/lounge/typing", {
    method: "POST",
    body: form,
    headers: { origin: "http://localhost", cookie: mia.cookie },
  });
  assert.equal(elsewhere.status, 413);
  const over = await upload(t, "lounge", mia.cookie, [{
    name: "b.bin",
    bytes: new Uint8Array(300 * 1024),
  }]);
  assert.equal(over.status, 413);
  assert.match(await over.text(), /at most 200 KB can be sent with one message/);
});

Deno.test("deleting a message deletes its files", async () => {
  await using t = await testApp();
  const { mia, ada } = await accessFixture(t.deps.db);
  await upload(t, "lounge", mia.cookie, [{ name: "a.txt", bytes: "a" }], { body: "gone soon" });
  const [id] = await fileIds(t, "lounge", mia.cookie);
  const message = await t.deps.db.selectFrom("files").select("message_id")
    .executeTakeFirstOrThrow();
  const deleted = await t.app.request(
    `http://localhost/rooms/lounge/messages/${message.message_id}/delete`,
    {
      method: "POST",
      headers: { origin: "http://localhost", cookie: mia.cookie },
      redirect: "manual",
    },
  );
  assert.equal(deleted.status, 303);
  assert.equal((await get(t, `/rooms/lounge/files/${id}`, mia.cookie)).status, 404);
  assert.equal((await t.deps.db.selectFrom("file_chunks").selectAll().execute()).length, 0);
  // An admin's delete from the panel takes the files too.
  await upload(t, "lounge", mia.cookie, [{ name: "b.txt", bytes: "b" }], { body: "also" });
  const other = await t.deps.db.selectFrom("files").select("message_id").executeTakeFirstOrThrow();
  const byAdmin = await t.app.request(
    `http://localhost/admin/messages/${other.message_id}/delete`,
    {
      method: "POST",
      headers: { origin: "http://localhost", cookie: ada.cookie },
      redirect: "manual",
    },
  );
  assert.ok(byAdmin.status < 400, `status ${byAdmin.status}`);
  assert.equal((await t.deps.db.selectFrom("files").selectAll().execute()).length, 0);
});

Deno.test("a large file is stored in 256 KB chunks and read back whole, in order", async () => {
  await using t = await testApp();
  const { mia } = await accessFixture(t.deps.db);
  const bytes = Uint8Array.from({ length: 600 * 1024 }, (_, i) => (i * 7 + (i >> 10)) & 255);
  assert.equal((await upload(t, "lounge", mia.cookie, [{ name: "big.bin", bytes }])).status, 303);
  const chunks = await t.deps.db.selectFrom("file_chunks").select("seq").orderBy("seq").execute();
  assert.deepEqual(chunks.map((c) => c.seq), [0, 1, 2]);
  const [id] = await fileIds(t, "lounge", mia.cookie);
  const res = await get(t, `/rooms/lounge/files/${id}`, mia.cookie);
  assert.equal(res.headers.get("content-length"), String(bytes.length));
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), bytes);
});

Deno.test("a retried upload with its client_id stores one message and its files once", async () => {
  await using t = await testApp();
  const { mia } = await accessFixture(t.deps.db);
  const send = () => {
    const form = new FormData();
    form.set("body", "once");
    form.set("client_id", "c-upload-1");
    form.append("files", new File(["a"], "a.txt"));
    return t.app.request("http://localhost/rooms/lounge/messages", {
      method: "POST",
      body: form,
      headers: { origin: "http://localhost", cookie: mia.cookie },
      redirect: "manual",
    });
  };
  assert.equal((await send()).status, 303);
  assert.equal((await send()).status, 303);
  assert.equal((await t.deps.db.selectFrom("messages").selectAll().execute()).length, 1);
  assert.equal((await t.deps.db.selectFrom("files").selectAll().execute()).length, 1);
});
