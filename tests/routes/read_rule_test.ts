// The read rule (db/read_rule.ts) across every path that shows room content, for a guest, a
// member, a non-member and an admin, in every kind of room, on both databases.
import assert from "node:assert/strict";
import type { Kysely } from "kysely";
import { directSlug } from "../../db/direct.ts";
import { unreadCount } from "../../db/inbox.ts";
import { sendWithMentions } from "../../db/mentions.ts";
import { noticeFor } from "../../db/notices.ts";
import { listRooms } from "../../db/rooms.ts";
import type { Database } from "../../db/schema.ts";
import { isStored } from "../../db/send.ts";
import { requester, testApp } from "../fixtures/app.ts";
import { accessFixture, type Person, READERS, room } from "../fixtures/people.ts";
import { resetData, STORES } from "../fixtures/store.ts";

/** Who may read each room: the fixture's rooms, and a direct conversation of mia and nia. */
const READ_BY: Record<string, string[]> = { ...READERS, dm: ["mia", "nia"] };
/** One word per room, written only there, so a search or an excerpt shows where it leaked. */
const WORDS: Record<string, string> = {
  lounge: "apricot",
  secret: "bramble",
  news: "cobalt",
  staff: "payroll",
  noguests: "driftwood",
  dm: "ember",
};
const EVERYONE = ["ada", "mia", "nia", "gus"];

type People = Record<string, Person>;

/** The fixture plus the direct room, each room holding one message that mentions everyone. */
async function world(db: Kysely<Database>) {
  const people: People = await accessFixture(db);
  const { ada, mia, nia } = people;
  const dm = await room(db, directSlug(mia.id, nia.id), { kind: "direct", members: [mia, nia] });
  const slugs: Record<string, string> = { dm: dm.slug };
  const ids: Record<string, string> = {};
  for (const name of Object.keys(WORDS)) {
    const slug = slugs[name] ?? name;
    const author = name === "secret" || name === "dm" ? mia : ada;
    const found = await db.selectFrom("rooms").select("id").where("slug", "=", slug)
      .executeTakeFirstOrThrow();
    await db.insertInto("memberships").values({ room_id: found.id, user_id: author.id })
      .onConflict((oc) => oc.doNothing()).execute();
    const body = `${WORDS[name]} for @ada @mia @nia @gus`;
    const sent = await sendWithMentions(db, {
      roomId: found.id,
      authorId: author.id,
      body,
      clientId: null,
    }, EVERYONE);
    assert.ok(isStored(sent), `the message in ${name} is stored`);
    ids[name] = sent.id;
  }
  return { people, slugs, ids };
}

async function statusOf(response: Response) {
  await response.body?.cancel();
  return response.status;
}

for (const kind of STORES) {
  const t = await testApp({}, kind);
  const request = requester(t.app);
  const get = (path: string, p: Person, headers: Record<string, string> = {}) =>
    request(path, undefined, { cookie: p.cookie, ...headers });
  const options = { sanitizeOps: false, sanitizeResources: false };

  Deno.test({
    name: `every path that shows a room's content follows the read rule (${kind})`,
    ...options,
    async fn() {
      await resetData(t.deps.db);
      const { people, slugs, ids } = await world(t.deps.db);
      // The badge (before any page marks a room read) counts only what each person may read: mentions, and nia's direct message.
      const badge = { ada: 0, mia: 3, nia: 4, gus: 2 };
      for (const [who, want] of Object.entries(badge)) {
        assert.equal(await unreadCount(t.deps.db, people[who].id), want, `${who}'s badge`);
      }
      for (const [name, readers] of Object.entries(READ_BY)) {
        const slug = slugs[name] ?? name;
        const message = `/rooms/${slug}/messages/${ids[name]}`;
        for (const [who, p] of Object.entries(people)) {
          const may = readers.includes(who);
          const refused = name === "dm" ? 404 : 403;
          const label = `${who} reading ${name}`;
          assert.equal(await statusOf(await get(`/rooms/${slug}`, p)), may ? 200 : refused, label);
          const history = await get(`/rooms/${slug}/messages?before=99`, p, { "hx-request": "1" });
          assert.equal(await statusOf(history), may ? 200 : refused, `${label}: history`);
          assert.equal(
            await statusOf(await get(message, p)),
            may ? 303 : refused,
            `${label}: link`,
          );
          // Earlier versions are for admins only, and then only where they may read.
          const revisions = await get(`${message}/revisions`, p);
          const admin = who === "ada";
          const earlier = admin ? (may ? 200 : refused) : 403;
          assert.equal(await statusOf(revisions), earlier, `${label}: revisions`);
          const reactions = await get(`${message}/reactions`, p);
          assert.equal(await statusOf(reactions), may ? 200 : refused, `${label}: reactions`);
          const stream = await get(`/rooms/${slug}/events`, p);
          assert.equal(await statusOf(stream), may ? 200 : refused, `${label}: SSE`);
          const search = await (await get(`/search?q=${WORDS[name]}`, p)).text();
          assert.equal(search.includes(ids[name]), may, `${label}: search`);
          const inbox = await (await get("/inbox", p)).text();
          // The inbox lists mentions (never the author's own) and both sides' conversations.
          const author = name === "secret" || name === "dm" ? "mia" : "ada";
          const mentioned = may && (name === "dm" || who !== author);
          assert.equal(inbox.includes(WORDS[name]), mentioned, `${label}: inbox`);
          const notice = await noticeFor(t.deps.db, ids[name], p.id);
          assert.equal(notice !== null, may, `${label}: notice`);
          const listed = (await listRooms(t.deps.db, p.id)).some((r) => r.slug === slug);
          assert.equal(listed, may && name !== "dm", `${label}: room list`);
          const lobby = await (await get("/", p)).text();
          assert.equal(lobby.includes(`href="/rooms/${slug}"`), listed, `${label}: lobby`);
        }
      }
    },
  });

  Deno.test({
    name:
      `a room switched to admins-only reading stops showing in search, inbox and notices (${kind})`,
    ...options,
    async fn() {
      await resetData(t.deps.db);
      const { people, ids } = await world(t.deps.db);
      const { nia } = people;
      assert.equal(await unreadCount(t.deps.db, nia.id), 4);
      await t.deps.db.updateTable("rooms").set({ read_access: "admins" })
        .where("slug", "=", "lounge").execute();
      const search = await (await get("/search?q=apricot", nia)).text();
      assert.ok(!search.includes(ids.lounge), "search hides it");
      assert.ok(!(await (await get("/inbox", nia)).text()).includes("apricot"), "inbox hides it");
      assert.equal(await noticeFor(t.deps.db, ids.lounge, nia.id), null);
      assert.equal(await unreadCount(t.deps.db, nia.id), 3);
      assert.equal(await statusOf(await get("/rooms/lounge", nia)), 403);
    },
  });

  Deno.test({
    name: `with guests switched off a guest reads nothing anywhere (${kind})`,
    ...options,
    async fn() {
      await resetData(t.deps.db);
      const { people, ids } = await world(t.deps.db);
      const { gus } = people;
      await t.deps.db.insertInto("settings").values({ id: 1, guests_enabled: false }).execute();
      assert.equal(await statusOf(await get("/rooms/lounge", gus)), 403);
      assert.equal(await statusOf(await get("/rooms/lounge/events", gus)), 403);
      assert.ok(!(await (await get("/search?q=apricot", gus)).text()).includes(ids.lounge));
      assert.ok(!(await (await get("/inbox", gus)).text()).includes("apricot"));
      assert.equal(await noticeFor(t.deps.db, ids.lounge, gus.id), null);
      assert.deepEqual(await listRooms(t.deps.db, gus.id), []);
      assert.equal(await unreadCount(t.deps.db, gus.id), 0);
      // Members are untouched.
      assert.ok((await (await get("/search?q=apricot", people.nia)).text()).includes(ids.lounge));
    },
  });

  Deno.test({
    name: `a mention is recorded only for people the room lets read it (${kind})`,
    ...options,
    async fn() {
      await resetData(t.deps.db);
      const { people, ids } = await world(t.deps.db);
      const mentioned = async (room: string) =>
        (await t.deps.db.selectFrom("mentions").select("user_id")
          .where("message_id", "=", ids[room]).execute()).map((r) => r.user_id).sort();
      const idsOf = (...names: string[]) => names.map((n) => people[n].id).sort();
      assert.deepEqual(await mentioned("staff"), []);
      assert.deepEqual(await mentioned("secret"), []);
      assert.deepEqual(await mentioned("noguests"), idsOf("mia", "nia"));
      assert.deepEqual(await mentioned("lounge"), idsOf("mia", "nia", "gus"));
      assert.deepEqual(await mentioned("dm"), []);
    },
  });

  Deno.test({ name: `closing the ${kind} store`, ...options, fn: () => t.close() });
}
