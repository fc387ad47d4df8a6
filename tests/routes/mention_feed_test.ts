// A person's private mention feed (issue 20): an Atom link made on the account page, keyed by
// a secret token only, listing mentions from rooms they may still read; replaced or turned
// off, the old link is a 404.
import assert from "node:assert/strict";
import { DOMParser } from "@xmldom/xmldom";
import { sendWithMentions } from "../../db/mentions.ts";
import type { Room } from "../../db/schema.ts";
import { appForFile, storedMessage } from "../fixtures/app.ts";
import { type Person, person, room } from "../fixtures/people.ts";
import { STORES } from "../fixtures/store.ts";

const ATOM = "http://www.w3.org/2005/Atom";

for (const kind of STORES) {
  const t = await appForFile({}, kind);
  const db = t.deps.db;

  const mention = async (where: Room, author: Person, body: string) =>
    storedMessage(
      await sendWithMentions(db, { roomId: where.id, authorId: author.id, body, clientId: null }, [
        "ana",
      ]),
    )!;
  /** Makes (or replaces) ana's feed link on her account page; returns its path. */
  const makeLink = async (ana: Person) => {
    const res = await t.request("/account/mention-feed", {}, { cookie: ana.cookie });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "no-store");
    return /value="http:\/\/localhost(\/feeds\/mentions\/[^"]+\.atom)"/.exec(await res.text())![1];
  };
  /** The feed's entries as [title, link] pairs. */
  const entries = async (path: string) => {
    const res = await t.request(path);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/atom+xml; charset=utf-8");
    const feed = new DOMParser().parseFromString(await res.text(), "text/xml").documentElement!;
    assert.equal(feed.namespaceURI, ATOM);
    return Array.from(feed.getElementsByTagNameNS(ATOM, "entry")).map((e) => [
      e.getElementsByTagNameNS(ATOM, "title")[0].textContent,
      e.getElementsByTagNameNS(ATOM, "link")[0].getAttribute("href"),
    ]);
  };

  Deno.test(`[${kind}] the mention feed lists only mentions from rooms still readable`, async () => {
    const ana = await person(db, "ana", "member");
    const bob = await person(db, "bob", "member");
    const lounge = await room(db, "lounge", { members: [ana, bob] });
    const secret = await room(db, "secret", { kind: "private", members: [ana, bob] });
    const open = await mention(lounge, bob, "@ana lunch?");
    await mention(secret, bob, "@ana the plan");
    const path = await makeLink(ana);
    assert.equal((await entries(path)).length, 2, "read without a session");

    await db.deleteFrom("memberships").where("room_id", "=", secret.id)
      .where("user_id", "=", ana.id).execute();
    assert.deepEqual(await entries(path), [[
      "bob in #lounge: @ana lunch?",
      `http://localhost/rooms/lounge/messages/${open.id}`,
    ]]);
    const page = await (await t.request("/account", undefined, { cookie: ana.cookie })).text();
    assert.match(page, /Replace the address/);
    assert.doesNotMatch(page, /\/feeds\/mentions\//, "the link is shown once only");
  });

  Deno.test(`[${kind}] a replaced, revoked or made-up feed link is 404`, async () => {
    const ana = await person(db, "ana", "member");
    const first = await makeLink(ana);
    const second = await makeLink(ana);
    assert.notEqual(first, second);
    assert.equal((await t.request(first)).status, 404, "replaced");
    assert.deepEqual(await entries(second), []);
    const off = await t.request("/account/mention-feed/revoke", {}, { cookie: ana.cookie });
    assert.equal(off.status, 303);
    assert.equal((await t.request(second)).status, 404, "revoked");
    const madeUp = `/feeds/mentions/${ana.id}.${"A".repeat(32)}.atom`;
    assert.equal((await t.request(madeUp)).status, 404);
    assert.equal((await t.request("/feeds/mentions/nothing.atom")).status, 404);
    assert.equal((await t.request("/account/mention-feed", {})).status, 401, "needs a session");
  });
}
