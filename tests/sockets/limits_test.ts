// Bounded input at the edge of a real server: a request body past the limit is refused on its
// Content-Length or while it streams, and the server keeps serving; a WebSocket frame past its
// cap closes the socket with 1009 (the in-process refusal is in tests/routes/limits_test.ts).
import assert from "node:assert/strict";
import { MAX_FRAME } from "../../live/live_socket.tsx";
import { formInit } from "../fixtures/app.ts";
import { startServer } from "../fixtures/server.ts";
import { wsClient } from "../fixtures/ws.ts";

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

Deno.test("oversized bodies, sized or chunked, leave a real server serving", async () => {
  await using server = await startServer({ DATA_DIR: ":memory:" });
  const url = `${server.base}/signup`;
  const origin = { origin: server.base };
  const sized = await post(url, new Uint8Array(3 * MB).fill(0x61), origin);
  assert.equal(sized.status, 413, sized.text);
  assert.match(sized.text, /too large/);
  const chunked = await post(url, streamedForm(3 * MB), origin);
  // Deno 2.5 (the version Deno Deploy documents) may reset a connection whose chunked body the
  // server refused before the client has read the 413 (seen with curl too); later Denos
  // deliver it. Either way nothing past the limit is read and the server keeps serving.
  const refusals = Deno.version.deno.startsWith("2.5.") ? [0, 413] : [413];
  assert.ok(refusals.includes(chunked.status), `${chunked.status}: ${chunked.text}`);
  const flood = await Promise.all(
    Array.from({ length: 6 }, (_, i) => post(url, streamedForm((20 + i * 6) * MB), origin)),
  );
  for (const outcome of flood) assert.ok([0, 413].includes(outcome.status), outcome.text);
  const lobby = await fetch(`${server.base}/`);
  assert.equal(lobby.status, 200);
  assert.match(await lobby.text(), /Create an account/);
});

Deno.test("a WebSocket frame over the cap closes with 1009 and the server keeps serving", async () => {
  await using server = await startServer({ DATA_DIR: ":memory:" });
  const cookie = await server.guest("ana");
  await server.post("/rooms", { name: "general" }, cookie);
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
});
