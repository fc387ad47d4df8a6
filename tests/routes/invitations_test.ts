// Who gets in (issue 21): registration modes, invitation links and the first account.
import assert from "node:assert/strict";
import { listAudit } from "../../db/audit.ts";
import { findUserByName } from "../../db/users.ts";
import { requester, sessionCookie, testApp } from "../fixtures/app.ts";
import { person, room } from "../fixtures/people.ts";
import { STORES } from "../fixtures/store.ts";

const PASSWORD = "correct horse";
type Request = ReturnType<typeof requester>;

/** The app in invitation mode (the product default) with its founding admin signed in. */
async function invitationApp(kind: (typeof STORES)[number]) {
  const t = await testApp({ REGISTRATION: "invitation" }, kind);
  const request = requester(t.app);
  const admin = sessionCookie(await request("/signup", { username: "root", password: PASSWORD }));
  return Object.assign(t, { request, admin: { cookie: admin } });
}

/** Creates an invitation as the admin; returns its /join path, read off the page. */
async function invite(request: Request, admin: string, fields: Record<string, string>) {
  const res = await request("/admin/invitations", { days: "7", ...fields }, { cookie: admin });
  assert.equal(res.status, 201);
  return /value="http:\/\/localhost(\/join\/[^"]+)"/.exec(await res.text())![1];
}

const join = (request: Request, path: string, username: string) =>
  request(path, { username, password: PASSWORD });

for (const kind of STORES) {
  Deno.test(`[${kind}] the first account becomes admin, then sign-up needs an invitation`, async () => {
    await using t = await testApp({ REGISTRATION: "invitation" }, kind);
    const request = requester(t.app);
    assert.match(await (await request("/")).text(), /action="\/signup"/, "open for the founder");
    assert.equal((await request("/signup", { username: "ana", password: PASSWORD })).status, 303);
    assert.equal((await findUserByName(t.deps.db, "ana"))?.role, "admin");
    const lobby = await (await request("/")).text();
    assert.doesNotMatch(lobby, /action="\/signup"/);
    assert.match(lobby, /Sign-up is by invitation here/);
    const refused = await request("/signup", { username: "bob", password: PASSWORD });
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /by invitation only here: ask an admin/);
    assert.equal(await findUserByName(t.deps.db, "bob"), null);
  });

  Deno.test(`[${kind}] an invitation works exactly as often as allowed`, async () => {
    await using t = await invitationApp(kind);
    const path = await invite(t.request, t.admin.cookie, { max_uses: "2" });
    assert.match(await (await t.request(path)).text(), /Create an account/);
    assert.equal((await join(t.request, path, "root")).status, 422, "a taken name uses nothing");
    assert.equal((await join(t.request, path, "ana")).status, 303);
    assert.equal((await join(t.request, path, "bob")).status, 303);
    const third = await join(t.request, path, "cy");
    assert.equal(third.status, 410);
    assert.match(await third.text(), /used up/);
    assert.equal(await findUserByName(t.deps.db, "cy"), null);
    assert.equal((await findUserByName(t.deps.db, "bob"))?.role, "member");
    const list = await (await t.request("/admin/invitations", undefined, t.admin)).text();
    assert.match(list, /0 of 2/);
    assert.match(list, /used up/);
  });

  Deno.test(`[${kind}] expired, revoked and made-up links are refused with a reason`, async () => {
    await using t = await invitationApp(kind);
    const expired = await invite(t.request, t.admin.cookie, {});
    await t.deps.db.updateTable("invitations").set({ expires_at: new Date(Date.now() - 1000) })
      .execute();
    const old = await join(t.request, expired, "ana");
    assert.equal(old.status, 410);
    assert.match(await old.text(), /has expired/);

    const revoked = await invite(t.request, t.admin.cookie, { max_uses: "" });
    const id = revoked.slice("/join/".length).split(".")[0];
    const revoke = await t.request(`/admin/invitations/${id}/revoke`, {}, t.admin);
    assert.equal(revoke.status, 303);
    const gone = await t.request(revoked);
    assert.equal(gone.status, 410);
    assert.match(await gone.text(), /was revoked/);
    assert.equal((await join(t.request, revoked, "bob")).status, 410);

    const forged = `${revoked.slice(0, -4)}AAAA`;
    assert.equal((await t.request(forged)).status, 404);
    assert.equal((await t.request("/join/nonsense")).status, 404);
    const actions = (await listAudit(t.deps.db)).map((e) => e.action);
    assert.deepEqual(actions.filter((a) => a.includes("invitation")).sort(), [
      "create invitation",
      "create invitation",
      "revoke invitation",
    ]);
  });

  Deno.test(`[${kind}] closed refuses every sign-up, invitations included; open needs none`, async () => {
    await using t = await invitationApp(kind);
    const path = await invite(t.request, t.admin.cookie, {});
    const settings = { guests_enabled: "on", room_creators: "everyone" };
    const close = await t.request(
      "/admin/settings",
      { ...settings, registration: "closed" },
      t.admin,
    );
    assert.equal(close.status, 303);
    assert.match(await (await t.request("/")).text(), /Sign-up is closed here/);
    assert.equal((await t.request(path)).status, 403);
    const link = await join(t.request, path, "ana");
    assert.equal(link.status, 403);
    assert.match(await link.text(), /invitations included/);
    assert.equal((await t.request("/signup", { username: "bo", password: PASSWORD })).status, 403);
    await t.request("/admin/settings", { ...settings, registration: "open" }, t.admin);
    assert.equal((await t.request("/signup", { username: "bo", password: PASSWORD })).status, 303);
    const bad = await t.request("/admin/settings", { ...settings, registration: "maybe" }, t.admin);
    assert.equal(bad.status, 422);
    const audit = (await listAudit(t.deps.db)).map((e) => e.detail ?? "");
    assert.ok(audit.some((d) => d.includes("registration closed")));
  });

  Deno.test(`[${kind}] a guests-only link lets a guest in, and read, while guests are off`, async () => {
    await using t = await invitationApp(kind);
    await room(t.deps.db, "lounge");
    const settings = { room_creators: "everyone", registration: "invitation" };
    assert.equal((await t.request("/admin/settings", settings, t.admin)).status, 303);
    assert.equal((await t.request("/guest", { nickname: "gus" })).status, 403);
    const path = await invite(t.request, t.admin.cookie, { guests_only: "on" });
    assert.match(await (await t.request(path)).text(), /Join as guest/);
    const joined = await t.request(path, { username: "gia" });
    assert.equal(joined.status, 303);
    const gia = await findUserByName(t.deps.db, "gia");
    assert.equal(gia?.role, "guest");
    assert.equal(gia?.password_hash, null);
    const page = await t.request("/rooms/lounge", undefined, { cookie: sessionCookie(joined) });
    assert.equal(page.status, 200);
    const other = await person(t.deps.db, "gus", "guest");
    const refused = await t.request("/rooms/lounge", undefined, { cookie: other.cookie });
    assert.notEqual(refused.status, 200, "a guest without a link reads nothing");
  });
}
