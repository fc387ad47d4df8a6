import assert from "node:assert/strict";
import { Hub } from "../../live/hub.ts";
import { appForFile, sessionCookie } from "../fixtures/app.ts";

const t = await appForFile();
let ana = "", bob = "";

const { request } = t;
const stored = async (id: string) =>
  await t.deps.db.selectFrom("messages").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
async function sent(body: string, cookie = ana): Promise<string> {
  await request("/rooms/general/messages", { body }, { cookie });
  const row = await t.deps.db.selectFrom("messages").select("id").orderBy("seq", "desc")
    .executeTakeFirstOrThrow();
  return row.id;
}

Deno.test.beforeEach(async () => {
  ana = sessionCookie(await request("/guest", { nickname: "ana" }));
  bob = sessionCookie(await request("/guest", { nickname: "bob" }));
  await request("/rooms", { name: "general" }, { cookie: ana });
  await request("/rooms/general", undefined, { cookie: bob });
});

Deno.test("htmx gets the form inline; without JS the link opens a page with it", async () => {
  const id = await sent("first words");
  const path = `/rooms/general/messages/${id}/edit`;
  const fragment = await request(path, undefined, { cookie: ana, "hx-request": "true" });
  assert.equal(fragment.status, 200);
  assert.equal(fragment.headers.get("vary"), "HX-Request");
  const form = await fragment.text();
  assert.match(form, /^<div class="edit-form">/);
  assert.match(form, /<textarea name="body"[^>]*>first words<\/textarea>/);
  assert.match(form, /action="[^"]+\/delete"/);
  const page = await (await request(path, undefined, { cookie: ana })).text();
  assert.match(page, /<!DOCTYPE html>[\s\S]*<h1>Edit message<\/h1>[\s\S]*<textarea/);
});

Deno.test("only the author or an admin gets the form", async () => {
  const id = await sent("mine");
  const res = await request(`/rooms/general/messages/${id}/edit`, undefined, { cookie: bob });
  assert.equal(res.status, 403);
  assert.match(await res.text(), /Only its author or an admin/);
});

Deno.test("an invalid htmx edit shows its error in the form and keeps the typed text", async () => {
  const id = await sent("short");
  const typed = "y".repeat(4001);
  const res = await request(`/rooms/general/messages/${id}/edit`, { body: typed }, {
    cookie: ana,
    "hx-request": "true",
  });
  assert.equal(res.status, 422);
  const html = await res.text();
  assert.match(html, /^<div class="edit-form">/);
  assert.match(html, /<p class="form-error"\s+role="alert">Message is too long \(4001 of 4000/);
  assert.ok(html.includes(`>${typed.slice(0, 4000)}</textarea>`), "kept up to the field limit");
  const empty = await request(`/rooms/general/messages/${id}/edit`, { body: "  " }, {
    cookie: ana,
    "hx-request": "true",
  });
  assert.equal(empty.status, 422);
  assert.match(await empty.text(), /role="alert">Message is empty</);
  assert.equal((await stored(id)).body, "short");
});

Deno.test("a pushed message carries no edit form and stays under a kilobyte", async () => {
  const id = await sent("a".repeat(200));
  const frames: string[] = [];
  const hub = new Hub(t.deps.db);
  hub.subscribe((await stored(id)).room_id, {
    userId: "x",
    cursor: 0,
    send: (frame) => frames.push(frame.html),
    notice: () => {},
    close: () => {},
  });
  while (!frames.length) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.doesNotMatch(frames[0], /<textarea|<details/);
  const bytes = new TextEncoder().encode(frames[0]).length - 200;
  assert.ok(bytes < 1000, `a pushed frame is ${bytes} bytes beyond its body`);
});
