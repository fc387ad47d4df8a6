// Text Postgres cannot store (NUL), other control characters, bidi overrides in names and
// oversized names: a 4xx with the reason at every entry point, never a 500, on both stores (the
// WebSocket entry point is in tests/sockets/text_rules_test.ts).
import assert from "node:assert/strict";
import { requester, testApp } from "../fixtures/app.ts";
import { person, room } from "../fixtures/people.ts";
import { resetData, STORES } from "../fixtures/store.ts";
import { charCount, clip, textProblem } from "../../db/text.ts";

const CONTROL = /must not contain control characters/;
const BIDI = /must not contain text-direction override characters/;

async function expectRefusal(res: Response, reason: RegExp, what: string) {
  const html = await res.text();
  assert.ok(res.status >= 400 && res.status < 500, `${what}: ${res.status} ${html.slice(0, 200)}`);
  assert.match(html, reason, what);
}

Deno.test("text rules refuse controls and bidi overrides and count without copying", () => {
  const body = { name: "Message", max: 10, multiline: true };
  assert.equal(textProblem("two\r\nlines\tok", { ...body, max: 20 }), null);
  assert.match(textProblem("a\0b", body)!, CONTROL);
  assert.match(textProblem("a\x1bb", body)!, CONTROL);
  assert.match(textProblem("evil\u202Egnp.exe", { name: "Room name", max: 64 })!, BIDI);
  assert.match(textProblem("a\u2066b", { name: "Room name", max: 64 })!, BIDI);
  assert.match(textProblem("a\nb", { name: "Room name", max: 64 })!, /single line/);
  assert.equal(charCount("a😀b"), 3);
  assert.match(textProblem("😀".repeat(11), body)!, /too long \(11 of 10 characters\)/);
  assert.equal(clip("😀😀😀", 2), "😀😀");
});

for (const kind of STORES) {
  Deno.test(`a NUL byte is a 4xx with a reason at every form entry point (${kind})`, async () => {
    await using t = await testApp({}, kind);
    await resetData(t.deps.db);
    const request = requester(t.app);
    const ana = await person(t.deps.db, "ana", "admin");
    await person(t.deps.db, "bob", "member");
    const general = await room(t.deps.db, "general", { members: [ana] });
    await room(t.deps.db, "secret", { kind: "private", members: [ana] });
    const cookie = { cookie: ana.cookie };
    const htmx = { ...cookie, "hx-request": "true" };
    await request("/rooms/general/messages", { body: "first" }, cookie);
    const { id } = await t.deps.db.selectFrom("messages").select("id").executeTakeFirstOrThrow();
    const cases: [string, () => Promise<Response>, RegExp][] = [
      ["message", () => request("/rooms/general/messages", { body: "a\0b" }, cookie), CONTROL],
      ["htmx message", () => request("/rooms/general/messages", { body: "a\0" }, htmx), CONTROL],
      [
        "edit",
        () => request(`/rooms/general/messages/${id}/edit`, { body: "x\0" }, cookie),
        CONTROL,
      ],
      [
        "/pm target",
        () => request("/rooms/general/messages", { body: "/pm b\0b hi" }, cookie),
        CONTROL,
      ],
      [
        "/pm text",
        () => request("/rooms/general/messages", { body: "/pm bob h\0i" }, cookie),
        CONTROL,
      ],
      ["/dm page", () => request("/dm/b%00b", undefined, cookie), CONTROL],
      ["/dm post", () => request("/dm/bob", { body: "h\0i" }, cookie), CONTROL],
      ["room name", () => request("/rooms", { name: "r\0" }, cookie), CONTROL],
      ["room name bidi", () => request("/rooms", { name: "a\u202Eb" }, cookie), BIDI],
      ["search", () => request("/search?q=a%00b", undefined, cookie), CONTROL],
      ["login name", () => request("/login", { username: "a\0", password: "x" }), CONTROL],
      ["login password", () => request("/login", { username: "ana", password: "\0" }), CONTROL],
      [
        "signup",
        () => request("/signup", { username: "z\0z", password: "long enough" }),
        CONTROL,
      ],
      ["guest", () => request("/guest", { nickname: "g\0" }), CONTROL],
      ["invite", () => request("/rooms/secret/members", { username: "b\0" }, cookie), CONTROL],
      ["admin search", () => request("/admin/messages?q=a%00", undefined, cookie), CONTROL],
      ["admin author", () => request("/admin/messages?author=a%00", undefined, cookie), CONTROL],
      [
        "admin rename",
        () =>
          request(`/admin/rooms/${general.id}`, {
            name: "x\u2067y",
            access: "open",
            read_access: "all",
          }, cookie),
        BIDI,
      ],
    ];
    for (const [what, call, reason] of cases) await expectRefusal(await call(), reason, what);
    const bodies = await t.deps.db.selectFrom("messages").select("body").execute();
    assert.deepEqual(bodies.map((m) => m.body), ["first"]);
    const names = await t.deps.db.selectFrom("rooms").select("name").execute();
    assert.deepEqual(names.map((r) => r.name).sort(), ["general", "secret"]);
  });

  Deno.test(`a login name of any length is a 4xx, not a 500 (${kind})`, async () => {
    await using t = await testApp({}, kind);
    const request = requester(t.app);
    const long = "n".repeat(3000);
    const res = await request("/login", { username: long, password: "whatever it is" });
    await expectRefusal(res, /Username is too long \(3000 of 64 characters\)/, "long login");
    const guest = await request("/guest", { nickname: long });
    await expectRefusal(guest, /Nickname is too long/, "long nickname");
    const pm = await request("/signup", { username: "ana", password: "p".repeat(2000) });
    await expectRefusal(pm, /Password is too long/, "long password");
  });
}
