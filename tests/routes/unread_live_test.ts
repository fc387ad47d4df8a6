// Live unread counts in the sidebar and the room index, over /presence/events.
import assert from "node:assert/strict";
import { requester, sessionCookie, testApp } from "../fixtures/app.ts";
import { readSse } from "../fixtures/sse.ts";
import { waitUntil } from "../fixtures/wait.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

async function setUp() {
  const t = await testApp();
  const request = requester(t.app);
  const ana = sessionCookie(await request("/guest", { nickname: "ana" }));
  const bob = sessionCookie(await request("/guest", { nickname: "bob" }));
  const cy = sessionCookie(await request("/guest", { nickname: "cy" }));
  for (const name of ["general", "random"]) await request("/rooms", { name }, { cookie: ana });
  // Bob joins both rooms by visiting them (which also reads them); Cy never visits random.
  for (const slug of ["general", "random"]) {
    await request(`/rooms/${slug}`, undefined, { cookie: bob });
  }
  await request("/rooms/general", undefined, { cookie: cy });
  const rooms = await t.deps.db.selectFrom("rooms").select(["id", "slug"]).execute();
  const id = Object.fromEntries(rooms.map((r) => [r.slug, r.id]));
  const send = (slug: string, body: string, cookie = ana) =>
    request(`/rooms/${slug}/messages`, { body }, { cookie });
  const stream = async (cookie: string, query = "") =>
    readSse(await request(`/presence/events${query}`, undefined, { cookie }));
  return { ...t, request, ana, bob, cy, id, send, stream };
}

/** The last unread badge a stream carried for a room: its count, 0 when hidden. */
function lastBadge(frames: string[], roomId: string): number | null {
  const badges = [
    ...frames.join("").matchAll(
      new RegExp(
        `<span id="unread-${roomId}"[^>]*>(\\d*)(?:<span class="label"> unread</span>)?</span>`,
        "g",
      ),
    ),
  ];
  return badges.length ? Number(badges.at(-1)![1] || 0) : null;
}

Deno.test(
  "unread counts go up live as others post, not for the open room, and clear when read",
  options,
  async () => {
    await using t = await setUp();
    const bob = await t.stream(t.bob, `?in=${t.id.general}`);
    await bob.waitFor(/Online now|unread-/);
    assert.equal(lastBadge(bob.frames(), t.id.random), 0, "starts with every count");
    assert.equal(lastBadge(bob.frames(), t.id.general), null, "the open room has no badge");
    const random = (n: number) =>
      waitUntil(() => lastBadge(bob.frames(), t.id.random) === n, `random at ${n}`);

    await t.send("random", "one");
    await random(1);
    await t.send("random", "two");
    await random(2);
    await t.send("random", "bob's own", t.bob);
    await t.send("general", "in the open room");
    await t.send("random", "three");
    await random(3);
    assert.equal(lastBadge(bob.frames(), t.id.general), null);
    assert.equal(lastBadge(bob.frames(), t.id.random), 3, "bob's own message is not unread");

    // Reading the room elsewhere (another tab) clears the badge here.
    await t.request("/rooms/random/read", {}, { cookie: t.bob });
    await random(0);
    await t.send("random", "four");
    await random(1);
    await bob.close();
  },
);

Deno.test(
  "a room someone has not joined never shows unread, and a reconnect starts from the truth",
  options,
  async () => {
    await using t = await setUp();
    const cy = await t.stream(t.cy);
    await cy.waitFor(/unread-/);
    await t.send("random", "not for cy");
    await t.send("general", "for cy");
    await waitUntil(() => lastBadge(cy.frames(), t.id.general) === 1, "general at 1");
    assert.equal(lastBadge(cy.frames(), t.id.random), 0);
    await cy.close();

    const again = await t.stream(t.bob);
    await again.waitFor(/unread-/);
    assert.equal(lastBadge(again.frames(), t.id.random), 1);
    assert.equal(lastBadge(again.frames(), t.id.general), 1);
    await again.close();
  },
);
