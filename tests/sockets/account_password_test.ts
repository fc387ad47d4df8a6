// Finding 3 of issue 15, the password change: a new password ends the person's other sessions
// and closes their live connections, and keeps the session that made the change.
import assert from "node:assert/strict";
import { wsClient } from "../live_clients.ts";
import { formInit, sessionCookie, type StoreKind, STORES, testApp } from "../support.ts";

const options = { sanitizeOps: false, sanitizeResources: false };
const ANA = { username: "ana", password: "correct horse" };

async function serve(kind: StoreKind) {
  const t = await testApp({ LOGIN_DELAY_MS: "5", LOGIN_DELAY_MAX_MS: "40" }, kind);
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (req, info) => t.app.fetch(req, { remoteAddr: info.remoteAddr.hostname }),
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  const post = async (path: string, fields: Record<string, string>, cookie = "") => {
    const res = await fetch(`${base}${path}`, formInit(fields, { origin: base, cookie }));
    await res.body?.cancel();
    return res;
  };
  async function stop() {
    await t.deps.hub.closeAll(1012, "Server restarting", 500);
    await server.shutdown();
    await t.close();
  }
  return { base, post, stop };
}

for (const kind of STORES) {
  Deno.test(
    `[${kind}] changing the password closes the other sessions' connections and keeps this one`,
    options,
    async () => {
      const s = await serve(kind);
      try {
        const here = sessionCookie(await s.post("/signup", ANA));
        const there = sessionCookie(await s.post("/login", ANA));
        assert.equal((await s.post("/rooms", { name: "lounge" }, here)).status, 303);
        const ws = await wsClient(s.base, "lounge", there);
        const change = (current: string) =>
          s.post(
            "/account/password",
            { current_password: current, new_password: "new horse!" },
            here,
          );
        assert.equal((await change("wrong horse")).status, 401);
        assert.equal((await change(ANA.password)).status, 303);
        const closed = await ws.closed;
        assert.equal(closed.code, 4403);
        assert.equal(closed.reason, "Your password was changed: sign in again");
        assert.ok(ws.frames.some((f) => f.includes("Your password was changed")));
        const page = async (cookie: string) =>
          await (await fetch(`${s.base}/`, { headers: { cookie } })).text();
        assert.doesNotMatch(await page(here), /Join as guest/, "this session stays");
        assert.match(await page(there), /Join as guest/, "the other session ended");
        assert.equal((await s.post("/login", ANA)).status, 401);
        assert.equal((await s.post("/login", { ...ANA, password: "new horse!" })).status, 303);
      } finally {
        await s.stop();
      }
    },
  );
}
