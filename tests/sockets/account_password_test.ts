// Finding 3 of issue 15, the password change: a new password ends the person's other sessions
// and closes their live connections, and keeps the session that made the change.
import assert from "node:assert/strict";
import { sessionCookie } from "../fixtures/app.ts";
import { serveApp } from "../fixtures/server.ts";
import { STORES } from "../fixtures/store.ts";
import { wsClient } from "../fixtures/ws.ts";
const ANA = { username: "ana", password: "correct horse" };

for (const kind of STORES) {
  Deno.test(
    `[${kind}] changing the password closes the other sessions' connections and keeps this one`,
    async () => {
      await using s = await serveApp(kind, { LOGIN_DELAY_MS: "5", LOGIN_DELAY_MAX_MS: "40" });
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
      assert.doesNotMatch(await s.visit("/", here), /Join as guest/, "this session stays");
      assert.match(await s.visit("/", there), /Join as guest/, "the other session ended");
      assert.equal((await s.post("/login", ANA)).status, 401);
      assert.equal((await s.post("/login", { ...ANA, password: "new horse!" })).status, 303);
    },
  );
}
