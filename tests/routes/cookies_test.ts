// Finding 9 of issue 15 (cookies and guests): the session cookie is Secure, and then
// `__Host-` prefixed, when the public origin is https, never because of the Host header; plain
// HTTP on a LAN name works; guest sessions are rate limited per client address.
import assert from "node:assert/strict";
import { formInit, testApp } from "../fixtures/app.ts";
import { STORES } from "../fixtures/store.ts";

const ANA = { username: "ana", password: "correct horse" };

for (const kind of STORES) {
  Deno.test(`[${kind}] with an https ORIGIN the cookie is __Host-sid and Secure, even when Host is 127.0.0.1`, async () => {
    const origin = "https://chat.example.com";
    await using t = await testApp({ ORIGIN: origin }, kind);
    const res = await t.app.request(
      "http://127.0.0.1/signup",
      formInit(ANA, { origin, host: "127.0.0.1" }),
    );
    assert.equal(res.status, 303);
    const [cookie] = res.headers.getSetCookie();
    assert.match(cookie, /^__Host-sid=[^;]+; /);
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /; Path=\//);
    assert.doesNotMatch(cookie, /Domain=/i);
    const pair = cookie.split(";")[0];
    const page = await t.app.request("http://127.0.0.1/", { headers: { cookie: pair } });
    assert.match(await page.text(), /ana/, "the prefixed cookie signs the person in");
    const plain = await t.app.request("http://127.0.0.1/", {
      headers: { cookie: pair.replace("__Host-sid", "sid") },
    });
    assert.match(await plain.text(), /Join as guest/, "a plain sid is not read when Secure");
    const out = await t.app.request(
      "http://127.0.0.1/logout",
      formInit({}, { origin, cookie: pair }),
    );
    assert.match(out.headers.getSetCookie()[0], /^__Host-sid=; Max-Age=0; Path=\/; Secure/);
  });

  Deno.test(`[${kind}] with an http ORIGIN on a LAN name the cookie is plain sid without Secure, and signs in`, async () => {
    const origin = "http://chat.lan";
    await using t = await testApp({ ORIGIN: origin }, kind);
    const res = await t.app.request("http://chat.lan/signup", formInit(ANA, { origin }));
    assert.equal(res.status, 303);
    const [cookie] = res.headers.getSetCookie();
    assert.match(cookie, /^sid=/);
    assert.doesNotMatch(cookie, /Secure/);
    const page = await t.app.request("http://chat.lan/", {
      headers: { cookie: cookie.split(";")[0] },
    });
    assert.doesNotMatch(await page.text(), /Join as guest/);
  });

  Deno.test(`[${kind}] without ORIGIN the request's own scheme decides, not the Host header`, async () => {
    await using t = await testApp({}, kind);
    const lan = await t.app.request(
      "http://chat.lan/signup",
      formInit(ANA, { origin: "http://chat.lan" }),
    );
    assert.match(lan.headers.getSetCookie()[0], /^sid=(?!.*Secure)/);
  });

  Deno.test(`[${kind}] guest sessions beyond the limit from one address get 429 with a reason`, async () => {
    await using t = await testApp({ GUEST_LIMIT: "3" }, kind);
    const guest = (address: string) =>
      t.app.request("http://localhost/guest", formInit({ nickname: "" }), {
        remoteAddr: address,
      });
    for (let i = 0; i < 3; i++) assert.equal((await guest("10.0.0.1")).status, 303);
    const refused = await guest("10.0.0.1");
    assert.equal(refused.status, 429);
    assert.match(await refused.text(), /Too many guests joined from your address/);
    assert.equal((await guest("10.0.0.2")).status, 303, "another address is not affected");
    const count = await t.deps.db.selectFrom("users").select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 4);
  });
}
