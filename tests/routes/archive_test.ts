// Public archives (issue 20): a published open room's history as plain, cacheable pages by
// UTC day, and its Atom feed, readable without a session; every other room is a 404.
import assert from "node:assert/strict";
import { sql } from "kysely";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { listAudit } from "../../db/audit.ts";
import { reviseMessage } from "../../db/messages.ts";
import type { Room } from "../../db/schema.ts";
import { sendMessage } from "../../db/send.ts";
import { appForFile, storedMessage } from "../fixtures/app.ts";
import { type Person, person, room } from "../fixtures/people.ts";
import { STORES } from "../fixtures/store.ts";

const ATOM = "http://www.w3.org/2005/Atom";

for (const kind of STORES) {
  const t = await appForFile({}, kind);
  const db = t.deps.db;

  /** Sends a message as `author`, dated `at` (UTC) when given. */
  const say = async (where: Room, author: Person, body: string, at?: string) => {
    const sent = storedMessage(
      await sendMessage(db, { roomId: where.id, authorId: author.id, body, clientId: null }),
    )!;
    if (at) {
      await db.updateTable("messages").set({ created_at: sql`${at}::timestamptz` }).where(
        "id",
        "=",
        sent.id,
      ).execute();
    }
    return sent;
  };
  /** An admin, and an open room #lounge the admin has published through the panel. */
  const published = async () => {
    const ada = await person(db, "ada", "admin");
    const lounge = await room(db, "lounge", { members: [ada] });
    const res = await t.request(`/admin/rooms/${lounge.id}/publish`, {}, { cookie: ada.cookie });
    assert.equal(res.status, 303);
    return { ada, lounge };
  };

  Deno.test(`[${kind}] a published room's days read without a session, in order, with canonical links`, async () => {
    const { ada, lounge } = await published();
    const first = await say(lounge, ada, "good morning", "2026-11-02T09:00:00Z");
    const second = await say(lounge, ada, "second *line*", "2026-11-02T09:05:00Z");
    const gone = await say(lounge, ada, "a mistake", "2026-11-02T09:06:00Z");
    const edited = await say(lounge, ada, "first draft", "2026-11-02T09:07:00Z");
    await say(lounge, ada, "the next day", "2026-11-03T10:00:00Z");
    const revise = { roomId: lounge.id, editorId: ada.id };
    await reviseMessage(db, { ...revise, messageId: gone.id, body: null });
    await reviseMessage(db, { ...revise, messageId: edited.id, body: "final words" });

    const index = await t.request("/archive/lounge");
    assert.equal(index.status, 200);
    const days = await index.text();
    assert.ok(
      days.indexOf("/archive/lounge/2026-11-03") < days.indexOf("/archive/lounge/2026-11-02"),
    );
    assert.match(days, /3 messages/, "the deleted one is not counted");

    const res = await t.request("/archive/lounge/2026-11-02");
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.ok(page.indexOf(`id="m-${first.id}"`) < page.indexOf(`id="m-${second.id}"`));
    assert.match(page, /second <em>line<\/em>/, "the room page's body component");
    assert.doesNotMatch(page, /a mistake/);
    assert.match(page, /final words/);
    assert.doesNotMatch(page, /first draft/);
    assert.match(
      page,
      /<link rel="canonical" href="http:\/\/localhost\/archive\/lounge\/2026-11-02"/,
    );
    assert.ok(page.includes(`href="/archive/lounge/2026-11-02#m-${first.id}"`));
    assert.match(page, /rel="next" href="\/archive\/lounge\/2026-11-03"/);
    assert.doesNotMatch(page, /<script|hx-|\/edit|reactions/i, "no script, no controls");
    assert.match(res.headers.get("content-security-policy") ?? "", /script-src 'self'/);
    assert.equal(res.headers.get("cache-control"), "public, max-age=3600");
    assert.equal((await t.request("/archive/lounge/2026-11-04")).status, 404, "a day with nothing");
    assert.equal((await t.request("/archive/lounge/2026-02-30")).status, 404, "no such day");
    const audit = await listAudit(db);
    assert.ok(audit.some((e) => e.action === "publish archive" && e.target === "#lounge"));
  });

  Deno.test(`[${kind}] a repeated request with the ETag gets 304`, async () => {
    const { ada, lounge } = await published();
    await say(lounge, ada, "hello", "2026-11-02T09:00:00Z");
    for (
      const path of ["/archive/lounge", "/archive/lounge/2026-11-02", "/archive/lounge/feed.atom"]
    ) {
      const first = await t.request(path);
      const tag = first.headers.get("etag");
      assert.ok(tag, `${path} has an ETag`);
      const again = await t.request(path, undefined, { "if-none-match": tag });
      assert.equal(again.status, 304, path);
      assert.equal(await again.text(), "");
    }
    const before = (await t.request("/archive/lounge/2026-11-02")).headers.get("etag")!;
    await say(lounge, ada, "more", "2026-11-02T10:00:00Z");
    const changed = await t.request("/archive/lounge/2026-11-02", undefined, {
      "if-none-match": before,
    });
    assert.equal(changed.status, 200, "a new message changes the page");
  });

  Deno.test(`[${kind}] rooms that are not public are 404, even when flagged before they changed`, async () => {
    const ada = await person(db, "ada", "admin");
    const quiet = await room(db, "quiet", { members: [ada] });
    const rooms = [
      await room(db, "secret", { kind: "private", members: [ada] }),
      await room(db, "news", { adminsOnly: true, members: [ada] }),
      await room(db, "staff", { readAccess: "admins", members: [ada] }),
    ];
    for (const r of [quiet, ...rooms]) {
      await say(r, ada, "hidden words", "2026-11-02T09:00:00Z");
      if (r !== quiet) {
        await db.updateTable("rooms").set({ public_archive: true }).where("id", "=", r.id)
          .execute();
      }
      for (const path of ["", "/2026-11-02", "/feed.atom"]) {
        const res = await t.request(`/archive/${r.slug}${path}`);
        assert.equal(res.status, 404, `${r.slug}${path}`);
        assert.doesNotMatch(await res.text(), /hidden words/);
      }
    }
    assert.equal((await t.request("/archive/nowhere")).status, 404);
  });

  Deno.test(`[${kind}] a published room made private loses its archive at once`, async () => {
    const { ada, lounge } = await published();
    await say(lounge, ada, "hello", "2026-11-02T09:00:00Z");
    assert.equal((await t.request("/archive/lounge/2026-11-02")).status, 200);
    const fields = { name: "lounge", access: "private", read_access: "all", guests_allowed: "on" };
    assert.equal(
      (await t.request(`/admin/rooms/${lounge.id}`, fields, { cookie: ada.cookie })).status,
      303,
    );
    assert.equal((await t.request("/archive/lounge/2026-11-02")).status, 404);
    assert.equal((await t.request("/archive/lounge/feed.atom")).status, 404);
    const panel =
      await (await t.request(`/admin/rooms/${lounge.id}`, undefined, { cookie: ada.cookie }))
        .text();
    assert.match(panel, /Published, but hidden now/);
  });

  Deno.test(`[${kind}] an admin cannot make a private room public`, async () => {
    const ada = await person(db, "ada", "admin");
    const secret = await room(db, "secret", { kind: "private", members: [ada] });
    const res = await t.request(`/admin/rooms/${secret.id}/publish`, {}, { cookie: ada.cookie });
    assert.equal(res.status, 422);
    assert.match(await res.text(), /cannot be public: #secret is private/);
    const row = await db.selectFrom("rooms").select("public_archive").where("id", "=", secret.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.public_archive, false);
    const mia = await person(db, "mia", "member");
    const lounge = await room(db, "lounge");
    assert.equal(
      (await t.request(`/admin/rooms/${lounge.id}/publish`, {}, { cookie: mia.cookie })).status,
      403,
    );
  });

  Deno.test(`[${kind}] the Atom feed is valid and escapes hostile text`, async () => {
    const { ada, lounge } = await published();
    const hostile = "<script>alert(1)</script> ]]> & more";
    await say(lounge, ada, "older", "2026-11-01T09:00:00Z");
    const sent = await say(lounge, ada, hostile, "2026-11-02T09:00:00Z");
    const res = await t.request("/archive/lounge/feed.atom");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/atom+xml; charset=utf-8");
    const doc = new DOMParser().parseFromString(await res.text(), "text/xml");
    const feed = doc.documentElement!;
    assert.equal(feed.namespaceURI, ATOM);
    assert.equal(feed.localName, "feed");
    const child = (el: Element, name: string) => el.getElementsByTagNameNS(ATOM, name)[0];
    assert.equal(child(feed, "id").textContent, "http://localhost/archive/lounge/feed.atom");
    assert.equal(child(feed, "title").textContent, "#lounge");
    assert.equal(child(feed, "updated").textContent, "2026-11-02T09:00:00.000Z");
    const links = Array.from(feed.getElementsByTagNameNS(ATOM, "link"))
      .filter((l) => l.parentNode === feed).map((l) =>
        `${l.getAttribute("rel")} ${l.getAttribute("href")}`
      );
    assert.deepEqual(links, [
      "self http://localhost/archive/lounge/feed.atom",
      "alternate http://localhost/archive/lounge",
    ]);
    const entries = feed.getElementsByTagNameNS(ATOM, "entry");
    assert.equal(entries.length, 2);
    const entry = entries[0];
    const url = `http://localhost/archive/lounge/2026-11-02#m-${sent.id}`;
    assert.equal(child(entry, "id").textContent, url);
    assert.equal(child(entry, "link").getAttribute("href"), url);
    assert.equal(child(entry, "title").textContent, `ada: ${hostile}`);
    assert.equal(child(entry, "updated").textContent, "2026-11-02T09:00:00.000Z");
    assert.equal(child(child(entry, "author"), "name").textContent, "ada");
    const content = child(entry, "content");
    assert.equal(content.getAttribute("type"), "html");
    assert.equal(content.textContent, "&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; more");
  });

  Deno.test(`[${kind}] the day list is paged, newest first`, async () => {
    const { ada, lounge } = await published();
    for (let day = 1; day <= 31; day++) {
      await say(lounge, ada, `day ${day}`, `2026-10-${String(day).padStart(2, "0")}T12:00:00Z`);
    }
    const first = await (await t.request("/archive/lounge")).text();
    assert.equal(first.match(/href="\/archive\/lounge\/2026-10-\d\d"/g)?.length, 30);
    assert.doesNotMatch(first, /2026-10-01"/);
    const older = /href="(\/archive\/lounge\?before=2026-10-02)"/.exec(first)![1];
    const second = await (await t.request(older)).text();
    assert.match(second, /href="\/archive\/lounge\/2026-10-01"/);
    assert.match(
      second,
      /rel="canonical" href="http:\/\/localhost\/archive\/lounge\?before=2026-10-02"/,
    );
    assert.doesNotMatch(second, /Older days/);
    const bad = await t.request("/archive/lounge?before=yesterday");
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /YYYY-MM-DD/);
  });

  Deno.test(`[${kind}] robots may read the public archives and nothing else`, async () => {
    const res = await t.request("/robots.txt");
    assert.equal(await res.text(), "User-agent: *\nAllow: /archive/\nDisallow: /\n");
  });
}
