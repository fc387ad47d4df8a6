import assert from "node:assert/strict";
import type { MessageView } from "../../db/messages.ts";
import { framesFor } from "../../views/frame.tsx";
import { onlineListFrames } from "../../views/online_list.tsx";

function row(seq: number, version = seq, body = `message ${seq}`): MessageView {
  return {
    id: `m${String(seq).padStart(4, "0")}`,
    room_id: "r1",
    author_id: "u1",
    body,
    client_id: null,
    seq,
    version,
    created_at: new Date("2026-11-21T10:00:00Z"),
    edited_at: version > seq ? new Date("2026-11-21T10:01:00Z") : null,
    deleted_at: null,
    username: "ana",
    display_name: "Ana",
    room_slug: "general",
    reactions: [],
  };
}

/** What a frame appends (seqs, in order), replaces (seqs) and the cursor it sets. */
function parts(html: string) {
  const articles = [...html.matchAll(/<article [^>]*>/g)].map((m) => m[0]);
  // Test rows' ids carry their seq (see row).
  const seq = (tag: string) => Number(tag.match(/id="m-m(\d+)"/)![1]);
  const replacing = (tag: string) => tag.includes('hx-swap-oob="true"');
  const cursor = html.match(/<div id="cursor" data-version="(\d+)" hx-swap-oob="true"/)![1];
  return {
    appends: articles.filter((tag) => !replacing(tag)).map(seq),
    replaces: articles.filter(replacing).map(seq),
    cursor: Number(cursor),
  };
}

Deno.test("a long catch-up is split into frames under the budget, in order, each with its cursor", () => {
  const rows = Array.from({ length: 40 }, (_, i) => row(101 + i));
  const frames = framesFor(rows, 100, 4000);
  assert.ok(frames.length > 1, `${frames.length} frames`);
  for (const frame of frames) assert.ok(frame.html.length <= 4000, `${frame.html.length}`);
  const seen = frames.flatMap((f) => parts(f.html).appends);
  assert.deepEqual(seen, rows.map((m) => m.seq), "every message once, in seq order");
  for (const frame of frames) {
    const { appends, cursor } = parts(frame.html);
    assert.equal(cursor, frame.version);
    assert.equal(cursor, appends.at(-1), "a frame brings the page to its own last version");
  }
  assert.equal(frames.at(-1)!.version, 140);
});

Deno.test("new messages in one frame share one append wrapper", () => {
  const [frame] = framesFor([row(1), row(2), row(3)], 0);
  assert.equal(frame.html.match(/id="messages"/g)?.length, 1);
  assert.deepEqual(parts(frame.html).appends, [1, 2, 3]);
});

Deno.test("never splits where a later frame would append a message before an appended one", () => {
  // 13 was edited after 14 arrived, so it comes after 14 in version order.
  const rows = [row(11), row(12), row(14), row(13, 15), row(16), row(17)];
  const frames = framesFor(rows, 10, 1);
  const appended = frames.flatMap((f) => parts(f.html).appends);
  assert.deepEqual(appended, [11, 12, 13, 14, 16, 17]);
  const together = frames.find((f) => parts(f.html).appends.includes(13))!;
  assert.deepEqual(parts(together.html).appends, [13, 14]);
  assert.equal(together.version, 15);
});

Deno.test("a changed older message is replaced in place, not appended", () => {
  const [frame] = framesFor([row(5, 21), row(21 + 1, 22)], 20);
  const { appends, replaces, cursor } = parts(frame.html);
  assert.deepEqual(appends, [22]);
  assert.deepEqual(replaces, [5]);
  assert.equal(cursor, 22);
});

Deno.test("a message larger than the budget gets a frame of its own", () => {
  const big = row(2, 2, "x".repeat(3000));
  const frames = framesFor([row(1), big, row(3)], 0, 2000);
  assert.deepEqual(frames.map((f) => parts(f.html).appends), [[1], [2], [3]]);
  assert.ok(frames[1].html.includes("x".repeat(3000)));
});

const person = (i: number) => ({
  id: `u${i}`,
  username: `person${String(i).padStart(3, "0")}`,
  display_name: `Person ${i}`,
});

Deno.test("a long list goes out as frames of about 1 KB that add up to every name, in order", () => {
  const users = Array.from({ length: 50 }, (_, i) => person(i));
  const frames = onlineListFrames({ users, total: 75 });
  assert.ok(frames.length > 2, `${frames.length} frames`);
  for (const frame of frames) assert.ok(frame.length <= 1024, `${frame.length} characters`);
  assert.match(frames[0], /^<section id="online"[^>]*hx-swap-oob="innerHTML"/);
  assert.match(frames[0], /Online now \(75\)/);
  assert.match(frames[0], /and 25 more/);
  for (const frame of frames.slice(1)) {
    assert.match(frame, /^<ul id="online-names" hx-swap-oob="beforeend">/);
  }
  const names = frames.flatMap((f) => [...f.matchAll(/href="\/dm\/([^"]+)"/g)].map((m) => m[1]));
  assert.deepEqual(names, users.map((u) => u.username));
});

Deno.test("a short list is one frame", () => {
  const frames = onlineListFrames({ users: [person(1), person(2)], total: 2 });
  assert.equal(frames.length, 1);
  assert.doesNotMatch(frames[0], /more</);
});
