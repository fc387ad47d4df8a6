// Reactions, inline editing and the unread divider in real browsers.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { openBrowser } from "../fixtures/browser.ts";
import { liveServer } from "../fixtures/server.ts";
import {
  createRoom,
  joinAsGuest,
  markWindow,
  sendWithEnter,
  signUp,
  uniqueName,
  waitForMessages,
  waitLive,
  windowMarker,
} from "./browser.ts";

const open = { sanitizeOps: false, sanitizeResources: false };

declare const document: {
  getElementById(id: string): { getBoundingClientRect(): { top: number; bottom: number } } | null;
};

/** The article of the message whose body is `text`. */
const article = (page: Page, text: string) =>
  page.locator("#messages article", { has: page.locator(".body", { hasText: text }) });

Deno.test({
  name: "reactions and an inline edit reach both pages live without a reload",
  ...open,
  async fn() {
    await using server = await liveServer();
    await using browser = await openBrowser();
    const a = await browser.page();
    await signUp(a, server.base, uniqueName("alice"));
    await createRoom(a, server.base, "x");
    const b = await browser.page();
    await joinAsGuest(b, server.base, "bea");
    await b.goto(`${server.base}/rooms/x?transport=sse`);
    await Promise.all([waitLive(a), waitLive(b)]);
    const marks = [await markWindow(a), await markWindow(b)];

    await sendWithEnter(a, "react here");
    await Promise.all([waitForMessages(a, ["react here"]), waitForMessages(b, ["react here"])]);
    await article(b, "react here").locator("a.react").click();
    await article(b, "react here").locator('.picker button[value="👍"]').click();
    for (const page of [a, b]) {
      await article(page, "react here").locator('.reactions button[title="bea"]').waitFor();
    }
    await article(a, "react here").locator('.reactions button[value="👍"]').click();
    const both = article(b, "react here").locator(".reactions button", { hasText: "👍 2" });
    await both.waitFor();
    assert.match((await both.getAttribute("title"))!, /bea, alice_/);

    const mine = article(a, "react here");
    await mine.locator("a.own").click();
    const box = mine.locator(".edit-form textarea");
    await box.fill("   ");
    await mine.locator('.edit-form button[type="submit"]', { hasText: "Save" }).click();
    await mine.locator(".edit-form .form-error", { hasText: "Message is empty" }).waitFor();
    assert.equal(await mine.locator(".edit-form textarea").inputValue(), "   ");
    await mine.locator(".edit-form textarea").fill("edited here");
    await mine.locator('.edit-form button[type="submit"]', { hasText: "Save" }).click();
    await Promise.all([waitForMessages(a, ["edited here"]), waitForMessages(b, ["edited here"])]);
    assert.equal(await b.locator("#messages article").count(), 1);
    assert.deepEqual([await windowMarker(a), await windowMarker(b)], marks, "a page reloaded");
  },
});

Deno.test({
  name: "opening a room with unread messages scrolls to the New messages divider",
  ...open,
  async fn() {
    await using server = await liveServer();
    await using browser = await openBrowser();
    const a = await browser.page({ viewport: { width: 1000, height: 600 } });
    await signUp(a, server.base, uniqueName("alice"));
    await createRoom(a, server.base, "y");
    // Posts as alice from her page (same-origin fetch: her cookie and Origin).
    const post = (count: number, prefix: string) =>
      a.evaluate(async ({ count, prefix }) => {
        for (let i = 0; i < count; i++) {
          const body = new URLSearchParams({ body: `${prefix} ${i}` });
          await fetch("/rooms/y/messages", { method: "POST", body, redirect: "manual" });
        }
      }, { count, prefix });
    await post(20, "old");
    const b = await browser.page({ viewport: { width: 1000, height: 600 } });
    await joinAsGuest(b, server.base, "bea");
    await b.goto(`${server.base}/rooms/y`);
    await b.goto(`${server.base}/`);
    await post(30, "new");
    await b.goto(`${server.base}/rooms/y`);
    await b.locator("#unread").waitFor();
    await b.waitForTimeout(300);
    const place = await b.evaluate(() => {
      const rect = (id: string) => document.getElementById(id)!.getBoundingClientRect();
      return { divider: rect("unread").top, list: rect("messages").top };
    });
    assert.ok(Math.abs(place.divider - place.list) < 60, JSON.stringify(place));
    const next = b.locator("#unread + article .body");
    assert.equal((await next.textContent())?.trim(), "new 0");
  },
});
