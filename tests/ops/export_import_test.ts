import assert from "node:assert/strict";
import type { Kysely } from "kysely";
import { exportLines } from "../../db/export.ts";
import { importLines, ImportRefused } from "../../db/import.ts";
import { reviseMessage } from "../../db/messages.ts";
import { toggleReaction } from "../../db/reactions.ts";
import type { Database } from "../../db/schema.ts";
import { sendMessage } from "../../db/send.ts";
import { person, room } from "../fixtures/people.ts";
import { STORES, testStore } from "../support.ts";

/** A small chat: two people, two rooms, messages with an edit and a reaction, a session. */
async function seed(db: Kysely<Database>) {
  const ada = await person(db, "ada", "admin");
  const gus = await person(db, "gus", "guest");
  const lounge = await room(db, "lounge", { members: [ada, gus] });
  await room(db, "secret", { kind: "private", members: [ada] });
  const sent = [];
  for (const body of ["first", 'a line with "quotes"\nand a newline', "third"]) {
    const input = { roomId: lounge.id, authorId: ada.id, body, clientId: crypto.randomUUID() };
    sent.push(await sendMessage(db, input));
  }
  const [first] = sent as { id: string }[];
  await reviseMessage(db, {
    messageId: first.id,
    roomId: lounge.id,
    editorId: ada.id,
    body: "1st",
  });
  await toggleReaction(db, { messageId: first.id, roomId: lounge.id, userId: gus.id, emoji: "👍" });
}

/** What must survive a round trip, each table in a fixed order. */
async function snapshot(db: Kysely<Database>) {
  return {
    users: await db.selectFrom("users").select(["id", "username", "display_name", "role"])
      .orderBy("id").execute(),
    rooms: await db.selectFrom("rooms").select(["id", "slug", "name", "kind", "version"])
      .orderBy("id").execute(),
    memberships: await db.selectFrom("memberships").select(["room_id", "user_id"])
      .orderBy("room_id").orderBy("user_id").execute(),
    messages: await db.selectFrom("messages")
      .select(["id", "room_id", "author_id", "body", "created_at", "edited_at", "seq", "version"])
      .orderBy("id").execute(),
    revisions: await db.selectFrom("message_revisions").select(["message_id", "body"])
      .orderBy("id").execute(),
    reactions: await db.selectFrom("reactions").select(["message_id", "user_id", "emoji"])
      .execute(),
  };
}

async function collect(db: Kysely<Database>, page?: number): Promise<string[]> {
  const lines = [];
  for await (const line of exportLines(db, { page })) lines.push(line.trimEnd());
  return lines;
}

async function* each(lines: string[]) {
  yield* lines;
}

for (const kind of STORES) {
  Deno.test(`${kind}: export then import into a fresh database gives the same chat`, async () => {
    await using source = await testStore(kind);
    await using target = await testStore(kind);
    await seed(source.db);
    const lines = await collect(source.db);
    const counts = await importLines(target.db, each(lines));
    assert.deepEqual(await snapshot(target.db), await snapshot(source.db));
    assert.equal(counts.message, 3);
    assert.equal(counts.reaction, 1);
    assert.equal(counts.revision, 1);
    const text = lines.join("\n");
    assert.doesNotMatch(text, /password_hash|token_hash|not-a-usable-hash/);
    const people = await target.db.selectFrom("users").select("password_hash").execute();
    assert.ok(people.every((p) => p.password_hash === null), "imported people have no password");
    const sessions = await target.db.selectFrom("sessions").selectAll().execute();
    assert.deepEqual(sessions, []);
  });

  Deno.test(`${kind}: an export read a page at a time holds every row once`, async () => {
    await using source = await testStore(kind);
    await seed(source.db);
    const whole = await collect(source.db);
    const paged = await collect(source.db, 2);
    const rows = (lines: string[]) => lines.slice(1).map((line) => JSON.parse(line));
    assert.deepEqual(rows(paged), rows(whole));
  });

  Deno.test(`${kind}: import refuses a database that is not empty, and bad lines`, async () => {
    await using source = await testStore(kind);
    await using target = await testStore(kind);
    await seed(source.db);
    const lines = await collect(source.db);
    await person(target.db, "already", "member");
    await assert.rejects(importLines(target.db, each(lines)), /The database is not empty/);
    await target.db.deleteFrom("users").execute();
    const broken = [...lines.slice(0, 6), "{not json", ...lines.slice(6)];
    await assert.rejects(importLines(target.db, each(broken)), (error) => {
      assert.ok(error instanceof ImportRefused);
      assert.match(error.message, /^Line 7 is not a JSON object$/);
      return true;
    });
    const left = await snapshot(target.db);
    assert.ok(Object.values(left).every((rows) => rows.length === 0), "nothing was imported");
    await assert.rejects(importLines(target.db, each(['{"type":"x"}'])), /not the header/);
  });
}
