// Bounded input at the edge: every request body is refused past the limit before it is read,
// on its Content-Length or while it streams, with a short readable reason, and the server keeps
// serving; a WebSocket frame past its cap closes the socket with 1009.
import assert from "node:assert/strict";
import { MAX_FRAME } from "../../live/live_socket.tsx";
import { MAX_REQUEST_BODY } from "../../routes/limits.tsx";
import { person, room } from "../admin_support.ts";
import { wsClient } from "../live_clients.ts";
import { formInit, requester, startServer, testApp } from "../support.ts";

const MB = 1024 * 1024;

/** A form body of `bytes` bytes, as chunks, never held whole (no Content-Length). */
function streamedForm(bytes: number, field = "body"): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent === 0) controller.enqueue(new TextEncoder().encode(`${field}=`));
      if (sent >= bytes) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.length;
    },
  });
}

/** Posts and reads the answer; a server that stops reading may reset a big upload instead. */
async function post(url: string, body: BodyInit, headers: Record<string, string> = {}) {
  try {
    const res = await fetch(url, { ...formInit({}, headers), body });
    return { status: res.status, text: await res.text() };
  } catch (error) {
    return { status: 0, text: String(error) };
  }
}

Deno.test("a form post over the limit is 413 with a short visible reason", async () => {
  const t = await testApp();
  try {
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
  } finally {
    await t.close();
  }
});

Deno.test("oversized bodies, sized or chunked, leave a real server serving", async () => {
  const server = await startServer({ DATA_DIR: ":memory:" });
  try {
    const url = `${server.base}/signup`;
    const origin = { origin: server.base };
    const sized = await post(url, new Uint8Array(3 * MB).fill(0x61), origin);
    assert.equal(sized.status, 413, sized.text);
    assert.match(sized.text, /too large/);
    const chunked = await post(url, streamedForm(3 * MB), origin);
    assert.equal(chunked.status, 413, chunked.text);
    const flood = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post(url, streamedForm((20 + i * 6) * MB), origin)),
    );
    for (const outcome of flood) assert.ok([0, 413].includes(outcome.status), outcome.text);
    const lobby = await fetch(`${server.base}/`);
    assert.equal(lobby.status, 200);
    assert.match(await lobby.text(), /Create an account/);
  } finally {
    await server.stop();
  }
});

Deno.test("a WebSocket frame over the cap closes with 1009 and the server keeps serving", async () => {
  const server = await startServer({ DATA_DIR: ":memory:" });
  try {
    const guest = await fetch(
      `${server.base}/guest`,
      formInit({ nickname: "ana" }, {
        origin: server.base,
      }),
    );
    await guest.body?.cancel();
    const cookie = guest.headers.getSetCookie()[0].split(";")[0];
    const made = await fetch(
      `${server.base}/rooms`,
      formInit({ name: "general" }, {
        origin: server.base,
        cookie,
      }),
    );
    await made.body?.cancel();
    const ws = await wsClient(server.base, "general", cookie);
    ws.send(JSON.stringify({ body: "x".repeat(5 * MB) }));
    const closed = await ws.closed;
    assert.equal(closed.code, 1009);
    assert.ok(5 * MB > MAX_FRAME);
    const again = await wsClient(server.base, "general", cookie);
    again.send({ body: "still here" });
    await again.waitFor(1);
    again.close();
    await again.closed;
  } finally {
    await server.stop();
  }
});
