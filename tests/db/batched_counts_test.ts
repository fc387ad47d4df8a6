// The batched counts a restart storm uses answer exactly what the one-person queries answer:
// the inbox badge, and each room's unread and online counts, under the same read rule.
import assert from "node:assert/strict";
import { unreadCount, unreadCounts } from "../../db/inbox.ts";
import { sendWithMentions } from "../../db/mentions.ts";
import { onlineCounts } from "../../db/presence.ts";
import { connect } from "../../db/presence_counts.ts";
import { createRoom, joinRoom, listRooms, roomCountsFor } from "../../db/rooms.ts";
import type { User } from "../../db/schema.ts";
import { sendDirect } from "../../db/direct.ts";
import { readerKey, roomForReader, roomsForReaders } from "../../db/read_rule.ts";
import { createUser } from "../../db/users.ts";
import { resetData, STORES, testStore } from "../fixtures/store.ts";

for (const kind of STORES) {
  Deno.test(`many people's counts in one query equal each person's own (${kind})`, async () => {
    await using store = await testStore(kind);
    const db = store.db;
    await resetData(db);
    const make = async (username: string, role: "member" | "guest" | "admin") =>
      await createUser(db, { username, passwordHash: "x", role }) as User;
    const [ana, bob, cy, dee] = [
      await make("ana", "admin"),
      await make("bob", "member"),
      await make("cy", "guest"),
      await make("dee", "member"),
    ];
    const open = await createRoom(db, { name: "open", creator: ana });
    const secret = await createRoom(db, { name: "secret", kind: "private", creator: ana });
    for (const u of [ana, bob, cy]) await joinRoom(db, open.id, u.id);
    await joinRoom(db, secret.id, ana.id);
    await joinRoom(db, secret.id, bob.id);
    const say = (author: User, roomId: string, body: string, names: string[] = []) =>
      sendWithMentions(db, { roomId, authorId: author.id, body, clientId: null }, names);
    await say(ana, open.id, "hello @bob @cy", ["bob", "cy"]);
    await say(ana, secret.id, "psst @bob @dee", ["bob", "dee"]);
    await say(bob, open.id, "hi");
    await sendDirect(db, { from: ana, to: dee, body: "a word", clientId: null });
    await connect(db, { roomId: open.id, userId: cy.id, instanceId: "i" });
    await connect(db, { roomId: secret.id, userId: bob.id, instanceId: "i" });

    const people = [ana, bob, cy, dee];
    const ids = people.map((p) => p.id);
    const badges = await unreadCounts(db, [...ids, "nobody"]);
    const rooms = await roomCountsFor(db, ids);
    for (const person of people) {
      assert.equal(badges.get(person.id), await unreadCount(db, person.id), person.username);
      const one = await listRooms(db, person.id);
      const online = await onlineCounts(db, one.map((r) => r.id));
      assert.deepEqual(
        rooms.get(person.id),
        one.map((r) => ({
          id: r.id,
          version: r.version,
          member: r.member,
          unread: r.unread,
          online: online.get(r.id) ?? 0,
        })),
        person.username,
      );
    }
    assert.ok(!badges.has("nobody"));
    assert.ok(badges.get(dee.id)! >= 1 && badges.get(bob.id)! >= 2, "the case has counts");
  });
}

for (const kind of STORES) {
  Deno.test(`many read-rule checks in one query equal each one's (${kind})`, async () => {
    await using store = await testStore(kind);
    const db = store.db;
    await resetData(db);
    const ana = await createUser(db, {
      username: "ana",
      passwordHash: "x",
      role: "member",
    }) as User;
    const cy = await createUser(db, {
      username: "cy",
      passwordHash: null,
      role: "guest",
    }) as User;
    const open = await createRoom(db, { name: "open", creator: ana });
    const secret = await createRoom(db, { name: "secret", kind: "private", creator: ana });
    await joinRoom(db, secret.id, ana.id);
    const pairs = [ana, cy].flatMap((u) =>
      [open.slug, secret.slug, "missing"].map((slug) => ({ slug, userId: u.id }))
    );
    const many = await roomsForReaders(db, pairs);
    for (const { slug, userId } of pairs) {
      const one = await roomForReader(db, { slug }, userId);
      assert.deepEqual(many.get(readerKey(slug, userId)) ?? null, one, `${slug} for ${userId}`);
    }
    assert.equal(many.get(readerKey(secret.slug, cy.id))?.refusal, "private");
  });
}
