import assert from "node:assert/strict";
import { appForFile } from "../fixtures/app.ts";
import { accessFixture, type Person, POSTERS, READERS } from "../fixtures/people.ts";

const t = await appForFile();
const { request } = t;
let people: Record<string, Person> = {};
Deno.test.beforeEach(async () => {
  people = await accessFixture(t.deps.db);
});

async function status(res: Response) {
  await res.body?.cancel();
  return res.status;
}

Deno.test("room pages and history open only for those the room lets read", async () => {
  for (const [slug, readers] of Object.entries(READERS)) {
    for (const [name, p] of Object.entries(people)) {
      const want = readers.includes(name) ? 200 : 403;
      const page = await request(`/rooms/${slug}`, undefined, { cookie: p.cookie });
      assert.equal(await status(page), want, `${name} reading #${slug}`);
      const older = await request(`/rooms/${slug}/messages?before=5`, undefined, {
        cookie: p.cookie,
        "hx-request": "true",
      });
      assert.equal(await status(older), want, `${name} loading older #${slug}`);
    }
  }
});

Deno.test("SSE streams open only for those the room lets read", async () => {
  for (const [slug, readers] of Object.entries(READERS)) {
    for (const [name, p] of Object.entries(people)) {
      const res = await request(`/rooms/${slug}/events`, undefined, { cookie: p.cookie });
      const want = readers.includes(name) ? 200 : 403;
      assert.equal(await status(res), want, `${name} streaming #${slug}`);
    }
  }
});

Deno.test("posts are stored only from those the room lets post, and refusals say why", async () => {
  for (const [slug, posters] of Object.entries(POSTERS)) {
    for (const [name, p] of Object.entries(people)) {
      const res = await request(`/rooms/${slug}/messages`, { body: `${name} here` }, {
        cookie: p.cookie,
        "hx-request": "true",
      });
      const text = await res.text();
      assert.equal(res.status, posters.includes(name) ? 200 : 403, `${name} posting #${slug}`);
      if (res.status === 403) assert.match(text, /\S/, "a refusal carries a reason");
    }
  }
  const stored = await t.deps.db.selectFrom("messages").innerJoin("rooms", "rooms.id", "room_id")
    .select(["rooms.slug", "body"]).execute();
  const expected = Object.values(POSTERS).flat().length;
  assert.equal(stored.length, expected);
});

Deno.test("a member posting in an admin-only room sees the reason in the composer", async () => {
  const { mia } = people;
  const htmx = await request("/rooms/news/messages", { body: "hi" }, {
    cookie: mia.cookie,
    "hx-request": "true",
  });
  assert.equal(htmx.status, 403);
  const html = await htmx.text();
  assert.match(html, /^<form id="composer"/);
  assert.match(html, /Only admins can post in #news/);
  const plain = await request("/rooms/news/messages", { body: "hi" }, { cookie: mia.cookie });
  assert.match(await plain.text(), /Only admins can post in #news/);
});

Deno.test("the room index lists only rooms the person may read", async () => {
  const index = async (p: Person) =>
    await (await request("/", undefined, { cookie: p.cookie }))
      .text();
  const gus = await index(people.gus);
  assert.doesNotMatch(gus, /#staff|#noguests|#secret/);
  assert.match(gus, /#lounge/);
  const ada = await index(people.ada);
  assert.match(ada, /#staff/);
  assert.doesNotMatch(ada, /#secret/);
});

Deno.test("archived rooms take no posts, with a reason", async () => {
  await t.deps.db.updateTable("rooms").set({ archived_at: new Date() })
    .where("slug", "=", "lounge").execute();
  const res = await request("/rooms/lounge/messages", { body: "late" }, {
    cookie: people.ada.cookie,
    "hx-request": "true",
  });
  assert.equal(res.status, 403);
  assert.match(await res.text(), /#lounge is archived: nobody can post in it/);
});

Deno.test("members of a private room invite others by username; others cannot", async () => {
  const { mia, nia, gus } = people;
  const outsider = await request("/rooms/secret/members", { username: "gus" }, {
    cookie: nia.cookie,
  });
  assert.equal(await status(outsider), 403);
  const unknown = await request("/rooms/secret/members", { username: "nobody" }, {
    cookie: mia.cookie,
  });
  assert.equal(unknown.status, 422);
  assert.match(await unknown.text(), /There is no such person/);
  const res = await request("/rooms/secret/members", { username: "NIA" }, { cookie: mia.cookie });
  assert.equal(res.status, 303);
  assert.equal(
    await status(await request("/rooms/secret", undefined, { cookie: nia.cookie })),
    200,
  );
  const list = await (await request("/rooms/secret/members", undefined, { cookie: gus.cookie }))
    .text();
  assert.match(list, /private: ask a member/);
});
