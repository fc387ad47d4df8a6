// Reset links made by an admin (issue 21): shown once, they set a new password once and end
// every session of the person, closing their live connections.
import assert from "node:assert/strict";
import { listAudit } from "../../db/audit.ts";
import { findUserByName } from "../../db/users.ts";
import { sessionCookie } from "../fixtures/app.ts";
import { serveApp } from "../fixtures/server.ts";
import { STORES } from "../fixtures/store.ts";
import { wsClient } from "../fixtures/ws.ts";

const BO = { username: "bo", password: "correct horse" };

for (const kind of STORES) {
  Deno.test(`[${kind}] an admin's reset link works once and ends every session of the person`, async () => {
    await using s = await serveApp(kind);
    const admin = sessionCookie(
      await s.post("/signup", { username: "root", password: "root horse" }),
    );
    const phone = sessionCookie(await s.post("/signup", BO));
    const laptop = sessionCookie(await s.post("/login", BO));
    assert.equal((await s.post("/rooms", { name: "lounge" }, phone)).status, 303);
    const ws = await wsClient(s.base, "lounge", laptop);
    const bo = (await findUserByName(s.db, "bo"))!;
    const made = await fetch(`${s.base}/admin/users/${bo.id}/reset-link`, {
      method: "POST",
      headers: { origin: s.base, cookie: admin },
    });
    assert.equal(made.status, 201);
    const link = new RegExp(`value="${s.base}(/reset/[^"]+)"`).exec(await made.text())![1];
    assert.match(await s.visit(link, ""), /For @bo/);

    const done = await s.post(link, { new_password: "battery staple" });
    assert.equal(done.status, 303);
    const closed = await ws.closed;
    assert.equal(closed.code, 4403);
    assert.match(await s.visit("/", phone), /Join as guest/, "the phone's session ended");
    assert.match(await s.visit("/", laptop), /Join as guest/, "the laptop's session ended");
    assert.doesNotMatch(await s.visit("/", sessionCookie(done)), /Join as guest/);
    assert.equal((await s.post("/login", BO)).status, 401);
    assert.equal((await s.post("/login", { ...BO, password: "battery staple" })).status, 303);

    const again = await fetch(`${s.base}${link}`);
    assert.equal(again.status, 410);
    assert.match(await again.text(), /already used/);
    const audit = await listAudit(s.db);
    assert.ok(audit.some((e) => e.action === "create reset link" && e.target === "bo"));
  });
}

Deno.test("an expired reset link is refused with a reason, and a guest gets none", async () => {
  await using s = await serveApp();
  const admin = sessionCookie(
    await s.post("/signup", { username: "root", password: "root horse" }),
  );
  await s.post("/signup", BO);
  const bo = (await findUserByName(s.db, "bo"))!;
  const post = (path: string) =>
    fetch(`${s.base}${path}`, { method: "POST", headers: { origin: s.base, cookie: admin } });
  const made = await post(`/admin/users/${bo.id}/reset-link`);
  const link = /(\/reset\/[^"]+)"/.exec(await made.text())![1];
  await s.db.updateTable("password_resets").set({ expires_at: new Date(Date.now() - 1) }).execute();
  const old = await s.post(link, { new_password: "battery staple" });
  assert.equal(old.status, 410);
  assert.match(await s.visit(link, ""), /has expired/);
  const gus = sessionCookie(await s.post("/guest", { nickname: "gus" }));
  const guest = (await findUserByName(s.db, "gus"))!;
  assert.ok(gus);
  const refused = await post(`/admin/users/${guest.id}/reset-link`);
  assert.equal(refused.status, 422);
  assert.match(await refused.text(), /Guests and bots have no password/);
});
