// Finding 3 of issue 15: sessions end everywhere. Signing out (and ending a user's other
// sessions, as a password change does) closes exactly those sessions' live connections, with
// the reason shown, and a frame arriving after the end is never stored. Real sockets, on the
// embedded database and on a real Postgres (two instances there).
import assert from "node:assert/strict";
import { endOtherSessions, sessionHash } from "../../db/sessions.ts";
import { appendedBodies, sseClient, waitUntil, wsClient } from "../live_clients.ts";
import {
  formInit,
  freshDatabase,
  SERVER_URL,
  sessionCookie,
  startServer,
  type StoreKind,
  STORES,
  testApp,
} from "../support.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

/** The app on a real port, with its database at hand. */
async function serve(kind: StoreKind) {
  const t = await testApp({}, kind);
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (req, info) => t.app.fetch(req, { remoteAddr: info.remoteAddr.hostname }),
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  async function stop() {
    await t.deps.hub.closeAll(1012, "Server restarting", 500);
    await server.shutdown();
    await t.close();
  }
  return { base, db: t.deps.db, stop };
}

async function post(base: string, path: string, fields: Record<string, string>, cookie = "") {
  const res = await fetch(`${base}${path}`, formInit(fields, { origin: base, cookie }));
  await res.body?.cancel();
  return res;
}

/** Ana signed up (session one) and signed in again elsewhere (session two), in #lounge. */
async function twoSessions(base: string, loginBase = base) {
  const account = { username: "ana", password: "correct horse" };
  const one = sessionCookie(await post(base, "/signup", account));
  const two = sessionCookie(await post(loginBase, "/login", account));
  assert.equal((await post(base, "/rooms", { name: "lounge" }, one)).status, 303);
  return { one, two };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function storedBodies(base: string, cookie: string): Promise<string> {
  return await (await fetch(`${base}/rooms/lounge`, { headers: { cookie } })).text();
}

for (const kind of STORES) {
  Deno.test(
    `[${kind}] signing out closes that session's WebSocket and SSE with the reason and leaves the other session's open`,
    options,
    async () => {
      const s = await serve(kind);
      try {
        const { one, two } = await twoSessions(s.base);
        const ws = await wsClient(s.base, "lounge", one);
        const sse = await sseClient(s.base, "lounge", one);
        const other = await wsClient(s.base, "lounge", two);
        assert.equal((await post(s.base, "/logout", {}, one)).status, 303);
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
      } finally {
        await s.stop();
      }
    },
  );

  Deno.test(
    `[${kind}] a WebSocket frame that arrives after its session ended is not stored, even before the instance hears of the end`,
    options,
    async () => {
      const s = await serve(kind);
      try {
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
      } finally {
        await s.stop();
      }
    },
  );

  Deno.test(
    `[${kind}] signing out then sending at once over the same WebSocket stores nothing`,
    options,
    async () => {
      const s = await serve(kind);
      try {
        const { one } = await twoSessions(s.base);
        const ws = await wsClient(s.base, "lounge", one);
        assert.equal((await post(s.base, "/logout", {}, one)).status, 303);
        try {
          ws.send({ body: "after logout", client_id: "c-after" });
        } catch { /* already closed: nothing could be sent */ }
        await within(ws.closed, 5000, "closing the WebSocket");
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.deepEqual(await s.db.selectFrom("messages").select("body").execute(), []);
      } finally {
        await s.stop();
      }
    },
  );

  Deno.test(
    `[${kind}] ending a person's other sessions (a password change) closes their connections and keeps the current one`,
    options,
    async () => {
      const s = await serve(kind);
      try {
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
          (await post(s.base, "/rooms/lounge/messages", { body: "kept" }, one)).status,
          303,
        );
        await kept.waitFor(1);
        assert.deepEqual(appendedBodies(kept.frames()), ["kept"]);
        await kept.close();
      } finally {
        await s.stop();
      }
    },
  );
}

Deno.test(
  "signing out on one instance closes that session's WebSocket and SSE on the other within seconds",
  { ...options, ignore: !SERVER_URL },
  async () => {
    const fresh = await freshDatabase(SERVER_URL!);
    const a = await startServer({ DATABASE_URL: fresh.url, INSTANCE_ID: "inst-a" });
    const b = await startServer({ DATABASE_URL: fresh.url, INSTANCE_ID: "inst-b" });
    try {
      const { one, two } = await twoSessions(a.base, b.base);
      const ws = await wsClient(b.base, "lounge", one);
      const sse = await sseClient(b.base, "lounge", one);
      const other = await sseClient(b.base, "lounge", two);
      assert.equal((await post(a.base, "/logout", {}, one)).status, 303);
      const closed = await within(ws.closed, 5000, "closing the WebSocket on the other instance");
      assert.equal(closed.code, 4403);
      assert.equal(closed.reason, "You signed out");
      await within(sse.done, 5000, "ending the SSE stream on the other instance");
      assert.ok(sse.frames().some((f) => f.includes("You signed out")));
      await post(a.base, "/rooms/lounge/messages", { body: "after" }, two);
      await other.waitFor(1);
      await waitUntil(() => appendedBodies(other.frames()).includes("after"), "the other session");
      await other.close();
    } finally {
      await a.stop();
      await b.stop();
      await fresh.drop();
    }
  },
);
