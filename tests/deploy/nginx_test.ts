// Behind nginx (deploy/nginx.conf) in front of two instances on one Postgres: WebSocket
// upgrades and event streams pass, events are not held in a buffer, bodies over the app's
// limit stop at nginx, and the app sees the client address nginx forwards.
import assert from "node:assert/strict";
import { configureLog } from "../../log.ts";
import { appendedBodies } from "../fixtures/frames.ts";
import { formInit, sessionCookie } from "../fixtures/app.ts";
import { freePort, liveServer, twoInstances } from "../fixtures/server.ts";
import { sseClient } from "../fixtures/sse.ts";
import { SERVER_URL } from "../fixtures/store.ts";
import { waitUntil, within } from "../fixtures/wait.ts";
import { wsClient } from "../fixtures/ws.ts";
import { hasNginx, startNginx } from "./nginx.ts";

/** The address a client behind nginx claims (nginx appends its own peer, 127.0.0.1, after it). */
const CLIENT = "203.0.113.7";

/** An address an untrusted client claims, hoping to be taken for someone else. */
const SPOOF = "198.51.100.9";

const options = {
  ignore: !SERVER_URL || !hasNginx(),
  sanitizeOps: false,
  sanitizeResources: false,
};

/** A form post through nginx from a client that names itself in X-Forwarded-For. */
async function post(base: string, path: string, fields: Record<string, string>, cookie = "") {
  const headers = { origin: base, cookie, "x-forwarded-for": CLIENT };
  const res = await fetch(`${base}${path}`, formInit(fields, headers));
  return Object.assign(res, { text: await res.text() });
}

async function instanceOf(base: string): Promise<string> {
  return (await (await fetch(`${base}/healthz`)).json()).instance;
}

Deno.test("behind nginx, two instances serve one chat", options, async (t) => {
  const port = freePort();
  const origin = `http://127.0.0.1:${port}`;
  await using servers = await twoInstances({ ORIGIN: origin, TRUSTED_PROXIES: "127.0.0.1/32" });
  await using nginx = await startNginx([servers.a.port, servers.b.port], port);
  const lines: string[] = [];
  const before = configureLog({ level: "info", format: "json" }, (line) => lines.push(line));
  try {
    const ana = sessionCookie(await post(nginx.base, "/guest", { nickname: "ana" }));
    const bob = sessionCookie(await post(nginx.base, "/guest", { nickname: "bob" }));
    await post(nginx.base, "/rooms", { name: "shared" }, ana);
    await (await fetch(`${nginx.base}/rooms/shared`, { headers: { cookie: bob } })).body?.cancel();

    await t.step("consecutive requests go to both instances", async () => {
      const seen = [await instanceOf(nginx.base), await instanceOf(nginx.base)];
      assert.deepEqual(seen.sort(), ["inst-a", "inst-b"]);
    });

    await t.step(
      "messages posted to either instance reach a WebSocket opened through nginx",
      async () => {
        await using ws = await wsClient(nginx.base, "shared", ana);
        // Round robin: the two posts land on different instances, so one of them crosses over.
        await post(nginx.base, "/rooms/shared/messages", { body: "one" }, bob);
        await post(nginx.base, "/rooms/shared/messages", { body: "two" }, bob);
        await ws.waitFor(2);
        assert.deepEqual(appendedBodies(ws.frames), ["one", "two"]);
      },
    );

    await t.step("an event-stream message arrives at once, not when a buffer fills", async () => {
      // A buffering proxy can hold even the headers: bounded, so the test fails instead of hanging.
      const opening = sseClient(nginx.base, "shared", ana);
      await using sse = await within(opening, 5000, "opening the event stream through nginx");
      const sent = Date.now();
      await post(nginx.base, "/rooms/shared/messages", { body: "three" }, bob);
      await waitUntil(() => appendedBodies(sse.frames()).includes("three"), "three", 5000);
      const ms = Date.now() - sent;
      assert.ok(ms < 2000, `the event took ${ms} ms through nginx`);
    });

    await t.step("a form over the app's 64 KB stops at nginx; one under it passes", async () => {
      const big = await post(nginx.base, "/rooms", { name: "x".repeat(70_000) }, bob);
      assert.equal(big.status, 413);
      assert.match(big.text, /<center>nginx/, "nginx refused it, not the app");
      const under = await post(nginx.base, "/rooms", { name: "x".repeat(60_000) }, bob);
      assert.ok(under.status >= 400 && under.status !== 413, `the app answered ${under.status}`);
    });

    await t.step(
      "a message with files may carry FILE_MAX_BYTES through nginx, not more",
      async () => {
        const upload = async (bytes: number) => {
          const form = new FormData();
          form.set("body", "the notes");
          form.set("files", new File([new Uint8Array(bytes).fill(97)], "notes.txt"));
          const headers = { origin: nginx.base, cookie: bob, "x-forwarded-for": CLIENT };
          const res = await fetch(`${nginx.base}/rooms/shared/messages`, {
            method: "POST",
            headers,
            body: form,
            redirect: "manual",
          });
          return { status: res.status, text: await res.text() };
        };
        assert.equal((await upload(1024 * 1024)).status, 303, "a 1 MB file is stored");
        const over = await upload(11 * 1024 * 1024);
        assert.equal(over.status, 413);
        assert.match(over.text, /<center>nginx/, "nginx refused it, not the app");
      },
    );

    await t.step("the app logs the client address nginx forwarded, not nginx's own", () => {
      const requests = lines.map((line) => JSON.parse(line)).filter((l) => l.msg === "request");
      const posts = requests.filter((r) => r.method === "POST");
      assert.ok(posts.length >= 5, `${posts.length} posts logged`);
      for (const request of posts) assert.equal(request.addr, CLIENT);
      // Without a client-sent header the client is nginx's peer, this test (127.0.0.1).
      const pages = requests.filter((r) => r.method === "GET");
      assert.ok(pages.length > 0, "pages were logged");
      for (const request of pages) assert.equal(request.addr, "127.0.0.1");
    });

    await t.step("a client nginx does not trust cannot choose its address", async () => {
      lines.length = 0;
      // [::1] is not in TRUSTED_PROXIES: nginx appends it after whatever the client claims.
      const res = await fetch(`http://[::1]:${port}/`, { headers: { "x-forwarded-for": SPOOF } });
      await res.body?.cancel();
      const requests = lines.map((line) => JSON.parse(line)).filter((l) => l.msg === "request");
      assert.deepEqual(
        requests.map((r) => r.addr),
        ["0:0:0:0:0:0:0:1"],
        "::1, as the app writes it",
      );
    });

    await t.step("plain HTTP is sent to HTTPS", async () => {
      const res = await fetch(`${nginx.redirectBase}/rooms/shared`, { redirect: "manual" });
      await res.body?.cancel();
      assert.equal(res.status, 301);
      assert.equal(res.headers.get("location"), "https://127.0.0.1/rooms/shared");
    });
  } finally {
    configureLog(before.settings, before.sink);
  }
});

Deno.test("a script's tail of a quiet room stays open through nginx", options, async () => {
  const port = freePort();
  const origin = `http://127.0.0.1:${port}`;
  await using server = await liveServer({ ORIGIN: origin, TRUSTED_PROXIES: "127.0.0.1/32" });
  // Every other proxied read ends after 2 s of silence; the tail's location keeps its own.
  await using nginx = await startNginx([server.port], port, "2s");
  const fields = { username: "mia", password: "correct horse" };
  const mia = sessionCookie(await post(nginx.base, "/signup", fields));
  await post(nginx.base, "/rooms", { name: "quiet" }, mia);
  const made = await post(nginx.base, "/account/tokens", { name: "tail" }, mia);
  const token = /value="([0-9A-Z]{26}\.[A-Za-z0-9_-]{32})"/.exec(made.text)?.[1];
  assert.ok(token, `a token is shown (${made.status})`);

  const res = await fetch(`${nginx.base}/rooms/quiet/events`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.status, 200);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  try {
    await new Promise((resolve) => setTimeout(resolve, 3500));
    await post(nginx.base, "/rooms/quiet/messages", { body: "still listening" }, mia);
    const line = await within(reader.read(), 5000, "the line after a quiet spell");
    assert.equal(line.done, false, "nginx ended the quiet tail");
    assert.match(line.value ?? "", /\d\d:\d\d mia: still listening\n/);
  } finally {
    await reader.cancel().catch(() => {});
  }
});
