import assert from "node:assert/strict";
import { createRoom } from "../../db/rooms.ts";
import { findUserByName } from "../../db/users.ts";
import { listNames } from "../../live/presence_batch.tsx";
import { requester, sessionCookie, testApp } from "../fixtures/app.ts";
import { lastOnline, notices } from "../fixtures/frames.ts";
import { readSse } from "../fixtures/sse.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

async function setUp() {
  const t = await testApp();
  const request = requester(t.app);
  const ana = sessionCookie(await request("/guest", { nickname: "ana" }));
  const bob = sessionCookie(await request("/guest", { nickname: "bob" }));
  await request("/rooms", { name: "open" }, { cookie: ana });
  const creator = (await findUserByName(t.deps.db, "ana"))!;
  const secret = await createRoom(t.deps.db, { name: "secret", kind: "private", creator });
  const open = await t.deps.db.selectFrom("rooms").selectAll().where("slug", "=", "open")
    .executeTakeFirstOrThrow();
  const events = async (path: string, cookie: string) => {
    const res = await request(path, undefined, { cookie });
    if (res.status !== 200) throw new Error(`Refused: ${res.status} ${await res.text()}`);
    return readSse(res);
  };
  return { ...t, request, ana, bob, open, secret, events };
}

Deno.test(
  "one person with two connections is online once and leaves only when the last closes",
  options,
  async () => {
    await using t = await setUp();
    const watcher = await t.events("/rooms/open/events", t.bob);
    await watcher.waitFor(/Online now/);
    const first = await t.events("/rooms/open/events", t.ana);
    await watcher.waitFor(/ana joined/);
    const second = await t.events("/rooms/open/events", t.ana);
    await second.waitFor(/Online now/);
    assert.deepEqual(lastOnline(second.frames())!.sort(), ["ana", "bob"]);
    await first.close();
    await second.waitFor(/Online now/);
    // The first close must not announce anything: give it time, then prove the second still counts.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(notices(watcher.frames()).filter((n) => n.startsWith("ana")), [
      "ana joined",
    ]);
    await second.close();
    await watcher.waitFor(/ana left/);
    assert.deepEqual(notices(watcher.frames()).filter((n) => n.startsWith("ana")), [
      "ana joined",
      "ana left",
    ]);
    assert.deepEqual(lastOnline(watcher.frames()), ["bob"]);
    await watcher.close();
  },
);

Deno.test("whoever enters a room is welcomed, and only they see it", options, async () => {
  await using t = await setUp();
  const watcher = await t.events("/rooms/open/events", t.bob);
  await watcher.waitFor(/Welcome to #open, bob/);
  const ana = await t.events("/rooms/open/events", t.ana);
  await ana.waitFor(/Welcome to #open, ana/);
  await watcher.waitFor(/ana joined/);
  assert.ok(!notices(watcher.frames()).includes("Welcome to #open, ana"));
  assert.ok(!notices(ana.frames()).some((n) => n.startsWith("ana joined")));
  assert.deepEqual(lastOnline(ana.frames())!.sort(), ["ana", "bob"]);
  await ana.close();
  await watcher.close();
});

Deno.test(
  "a page reconnecting (again=1, or the browser's Last-Event-ID) is not welcomed twice",
  options,
  async () => {
    await using t = await setUp();
    const watcher = await t.events("/rooms/open/events", t.bob);
    await watcher.waitFor(/Online now/);
    const again = await t.events("/rooms/open/events?after=0&again=1", t.ana);
    await watcher.waitFor(/ana joined/);
    await again.waitFor(/Online now/);
    await again.close();
    await watcher.waitFor(/ana left/);
    const res = await t.request("/rooms/open/events", undefined, {
      cookie: t.ana,
      "last-event-id": "0",
    });
    const resumed = readSse(res);
    // The welcome would come before the online list, which follows the arrival.
    await resumed.waitFor(/Online now/);
    for (const stream of [again, resumed]) {
      assert.deepEqual(notices(stream.frames()).filter((n) => n.startsWith("Welcome")), []);
    }
    await resumed.close();
    await watcher.close();
  },
);

Deno.test(
  "the room page lists who is online, each with a link to message them",
  options,
  async () => {
    await using t = await setUp();
    const ana = await t.events("/rooms/open/events", t.ana);
    await ana.waitFor(/Online now/);
    const page = await (await t.request("/rooms/open", undefined, { cookie: t.bob })).text();
    assert.match(
      page,
      /<section id="online"[\s\S]*<li><a href="\/dm\/ana" title="@ana">ana<\/a><\/li>/,
    );
    assert.match(page, /<p id="typing"/);
    await ana.close();
  },
);

Deno.test(
  "the room index streams live online counts, only for rooms the person may see",
  options,
  async () => {
    await using t = await setUp();
    const index = await t.events("/presence/events", t.bob);
    await index.waitFor(new RegExp(`id="online-${t.open.id}"[^>]*>0 online`));
    assert.ok(!index.frames().join("").includes(t.secret.id), "no count for a private room");
    // Ana enters the private room first, then the open one: events arrive in that order.
    const inSecret = await t.events("/rooms/secret/events", t.ana);
    const inOpen = await t.events("/rooms/open/events", t.ana);
    await index.waitFor(new RegExp(`id="online-${t.open.id}"[^>]*hx-swap-oob="true">1 online`));
    assert.ok(!index.frames().join("").includes(t.secret.id), "no live count for a private room");
    const anaIndex = await t.events("/presence/events", t.ana);
    await anaIndex.waitFor(new RegExp(`id="online-${t.secret.id}"[^>]*>1 online`));
    const page = await (await t.request("/", undefined, { cookie: t.bob })).text();
    assert.match(page, new RegExp(`id="online-${t.open.id}"[^>]*>1 online`));
    assert.match(page, /ws-connect="\/feeds\/live\?rooms=1"/);
    assert.ok(!page.includes("/presence/events"), "the page holds one connection");
    for (const s of [inSecret, inOpen, anaIndex, index]) await s.close();
  },
);

Deno.test("a non-member cannot subscribe to a private room's presence", options, async () => {
  await using t = await setUp();
  const res = await t.request("/rooms/secret/events", undefined, { cookie: t.bob });
  assert.equal(res.status, 403);
  assert.match(await res.text(), /private/);
  const anonymous = await t.request("/presence/events");
  assert.equal(anonymous.status, 401);
  await anonymous.body?.cancel();
});

Deno.test(
  "a crowd arriving at once costs the room a few pushes and one collapsed line, not one each",
  options,
  async () => {
    await using t = await setUp();
    const watcher = await t.events("/rooms/open/events", t.bob);
    await watcher.waitFor(/Online now/);
    const before = watcher.frames().length;
    const names = Array.from({ length: 12 }, (_, i) => `guest${String(i).padStart(2, "0")}`);
    const cookies = await Promise.all(
      names.map(async (nickname) => sessionCookie(await t.request("/guest", { nickname }))),
    );
    const crowd = await Promise.all(cookies.map((c) => t.events("/rooms/open/events", c)));
    await watcher.waitFor(/Online now \(13\)/);
    const pushes = watcher.frames().slice(before).filter((f) => f.includes("Online now"));
    assert.ok(pushes.length <= 4, `${pushes.length} list pushes for 12 arrivals`);
    const lines = notices(watcher.frames()).filter((n) => n.endsWith("joined"));
    assert.ok(lines.length <= 4, lines.join(" / "));
    assert.ok(lines.some((n) => /and \d+ others joined$/.test(n)), lines.join(" / "));
    await Promise.all(crowd.map((c) => c.close()));
    await watcher.close();
  },
);

Deno.test("names in a presence line read naturally", () => {
  assert.equal(listNames(["Ana"]), "Ana");
  assert.equal(listNames(["Ana", "Bo"]), "Ana and Bo");
  assert.equal(listNames(["Ana", "Bo", "Cy"]), "Ana, Bo and Cy");
  assert.equal(listNames(["Ana", "Bo", "Cy", "Di", "Ed"]), "Ana, Bo and 3 others");
});
