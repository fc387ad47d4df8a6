// Finding 3 of issue 15: sessions end everywhere. Signing out (and ending a user's other
// sessions, as a password change does) closes exactly those sessions' live connections, with
// the reason shown, and a frame arriving after the end is never stored. Real sockets, on the
// embedded database and on a real Postgres (two instances there).
import assert from "node:assert/strict";
import { endOtherSessions, sessionHash } from "../../db/sessions.ts";
import { sessionCookie } from "../fixtures/app.ts";
import { appendedBodies } from "../fixtures/frames.ts";
import { httpClient, serveApp, twoInstances } from "../fixtures/server.ts";
import { sseClient } from "../fixtures/sse.ts";
import { SERVER_URL, STORES } from "../fixtures/store.ts";
import { waitUntil, within } from "../fixtures/wait.ts";
import { wsClient } from "../fixtures/ws.ts";

/** Ana signed up (session one) and signed in again elsewhere (session two), in #lounge. */
async function twoSessions(base: string, loginBase = base) {
  const account = { username: "ana", password: "correct horse" };
  const { post } = httpClient(base);
  const one = sessionCookie(await post("/signup", account));
  const two = sessionCookie(await httpClient(loginBase).post("/login", account));
  assert.equal((await post("/rooms", { name: "lounge" }, one)).status, 303);
  return { one, two };
}

async function storedBodies(base: string, cookie: string): Promise<string> {
  return await (await fetch(`${base}/rooms/lounge`, { headers: { cookie } })).text();
}

for (const kind of STORES) {
  Deno.test(
    `[${kind}] signing out closes that session's WebSocket and SSE with the reason and leaves the other session's open`,
    async () => {
      await using s = await serveApp(kind);
      const { one, two } = await twoSessions(s.base);
      const ws = await wsClient(s.base, "lounge", one);
      const sse = await sseClient(s.base, "lounge", one);
      const other = await wsClient(s.base, "lounge", two);
      assert.equal((await s.post("/logout", {}, one)).status, 303);
      const closed = await within(ws.closed, 5000, "closing the WebSocket");
      assert.equal(closed.code, 4403);
      assert.equal(closed.reason, "You signed out");
      assert.ok(ws.frames.some((f) => f.includes("You signed out") && f.includes("data-ended")));
      await within(sse.done, 5000, "ending the SSE stream");
      assert.ok(sse.raw.some((block) => block.startsWith("event: ended")));
      assert.ok(sse.frames().some((f) => f.includes("You signed out")));
      other.send({ body: "still here", client_id: "c-other" });
      await other.waitFor(1);
      assert.deepEqual(appendedBodies(other.frames), ["still here"]);
      other.close();
    },
  );

  Deno.test(
    `[${kind}] a WebSocket frame that arrives after its session ended is not stored, even before the instance hears of the end`,
    async () => {
      await using s = await serveApp(kind);
      const { one, two } = await twoSessions(s.base);
      const ws = await wsClient(s.base, "lounge", one);
      // The row goes without the event, as when the NOTIFY is still on its way.
      const token = decodeURIComponent(one.split("=")[1]);
      await s.db.deleteFrom("sessions").where("token_hash", "=", await sessionHash(token))
        .execute();
      ws.send({ body: "after the end", client_id: "c-late" });
      const closed = await within(ws.closed, 5000, "closing the WebSocket");
      assert.equal(closed.code, 4403);
      assert.equal(closed.reason, "You signed out");
      assert.doesNotMatch(await storedBodies(s.base, two), /after the end/);
      const rows = await s.db.selectFrom("messages").select("body").execute();
      assert.deepEqual(rows, []);
    },
  );

  Deno.test(
    `[${kind}] signing out then sending at once over the same WebSocket stores nothing`,
    async () => {
      await using s = await serveApp(kind);
      const { one } = await twoSessions(s.base);
      const ws = await wsClient(s.base, "lounge", one);
      assert.equal((await s.post("/logout", {}, one)).status, 303);
      try {
        ws.send({ body: "after logout", client_id: "c-after" });
      } catch { /* already closed: nothing could be sent */ }
      await within(ws.closed, 5000, "closing the WebSocket");
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(await s.db.selectFrom("messages").select("body").execute(), []);
    },
  );

  Deno.test(
    `[${kind}] ending a person's other sessions (a password change) closes their connections and keeps the current one`,
    async () => {
      await using s = await serveApp(kind);
      const { one, two } = await twoSessions(s.base);
      const kept = await sseClient(s.base, "lounge", one);
      const ended = await wsClient(s.base, "lounge", two);
      const user = await s.db.selectFrom("users").select("id").executeTakeFirstOrThrow();
      const keep = await sessionHash(decodeURIComponent(one.split("=")[1]));
      await endOtherSessions(s.db, { userId: user.id, keep, why: "password" });
      const closed = await within(ended.closed, 5000, "closing the other session's WebSocket");
      assert.equal(closed.code, 4403);
      assert.match(closed.reason, /password was changed/);
      assert.equal(
        (await s.post("/rooms/lounge/messages", { body: "kept" }, one)).status,
        303,
      );
      await kept.waitFor(1);
      assert.deepEqual(appendedBodies(kept.frames()), ["kept"]);
      await kept.close();
    },
  );
}

Deno.test(
  "signing out on one instance closes that session's WebSocket and SSE on the other within seconds",
  { ignore: !SERVER_URL },
  async () => {
    await using instances = await twoInstances();
    const { a, b } = instances;
    const { one, two } = await twoSessions(a.base, b.base);
    const ws = await wsClient(b.base, "lounge", one);
    const sse = await sseClient(b.base, "lounge", one);
    const other = await sseClient(b.base, "lounge", two);
    assert.equal((await a.post("/logout", {}, one)).status, 303);
    const closed = await within(ws.closed, 5000, "closing the WebSocket on the other instance");
    assert.equal(closed.code, 4403);
    assert.equal(closed.reason, "You signed out");
    await within(sse.done, 5000, "ending the SSE stream on the other instance");
    assert.ok(sse.frames().some((f) => f.includes("You signed out")));
    await a.post("/rooms/lounge/messages", { body: "after" }, two);
    await other.waitFor(1);
    await waitUntil(() => appendedBodies(other.frames()).includes("after"), "the other session");
    await other.close();
  },
);
