// How a room reads in Chromium: a person's consecutive messages form one group (live and on
// reload), days are divided, and a background tab counts what it missed in its title.
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import type { Page } from "playwright-core";
import pg from "pg";
import { liveServer } from "../fixtures/server.ts";
import { SERVER_URL } from "../fixtures/store.ts";
import { openBrowser } from "../fixtures/browser.ts";
import {
  createRoom,
  joinAsGuest,
  sendWithEnter,
  signUp,
  twoInRoom,
  uniqueName,
  waitForMessages,
  waitLive,
} from "./browser.ts";

const open = { sanitizeOps: false, sanitizeResources: false };

/** For each stored message on the page, in order: its text and whether it continues a group. */
async function groups(page: Page): Promise<[string, boolean][]> {
  return await page.locator("#messages article:not(.pending)").evaluateAll((els) =>
    els.map((el) =>
      [
        (el.querySelector(".body")?.textContent ?? "").trim(),
        el.classList.contains("cont"),
      ] as [string, boolean]
    )
  );
}

/** The list's children as `tag.class: text`, to show what stood between two messages. */
async function outline(page: Page): Promise<string> {
  return await page.locator("#messages > *").evaluateAll((els) =>
    els.map((el) =>
      `${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent ?? "").trim().slice(0, 40)}`
    ).join(" | ")
  );
}

// Lets a test hide and show the page as a background tab would be (headless pages are visible).
const VISIBILITY = `(() => {
  let state = "visible";
  Object.defineProperty(document, "visibilityState", { get: () => state });
  Object.defineProperty(document, "hidden", { get: () => state === "hidden" });
  globalThis.__setVisibility = (next) => {
    state = next;
    document.dispatchEvent(new Event("visibilitychange"));
  };
})();`;

Deno.test({
  name: "a person's consecutive messages form one group, live and on reload, and days are divided",
  ignore: !SERVER_URL,
  ...open,
  async fn() {
    await using server = await liveServer();
    await using browser = await openBrowser();
    const { a, b } = await twoInRoom(browser, server.base);

    await sendWithEnter(a, "one");
    await waitForMessages(b, ["one"]);
    await sendWithEnter(a, "two");
    await waitForMessages(b, ["one", "two"]);
    await sendWithEnter(b, "three");
    await waitForMessages(a, ["one", "two", "three"]);
    await sendWithEnter(a, "four");
    await waitForMessages(b, ["one", "two", "three", "four"]);
    const expected: [string, boolean][] = [
      ["one", false],
      ["two", true],
      ["three", false],
      ["four", false],
    ];
    // The page regroups after each swap settles: give the last arrival that moment.
    const deadline = Date.now() + 5000;
    while (!isDeepStrictEqual(await groups(b), expected) && Date.now() < deadline) {
      await b.waitForTimeout(50);
    }
    assert.deepEqual(await groups(b), expected, `live; the list: ${await outline(b)}`);
    await b.reload();
    assert.deepEqual(await groups(b), expected, "on reload");
    assert.deepEqual(await b.locator("#messages > .day").allTextContents(), ["Today"]);

    // The first two were written two days ago: a divider for that day, and a new group.
    const db = new pg.Client({ connectionString: server.env.DATABASE_URL });
    await db.connect();
    await db.query(
      "update messages set created_at = created_at - interval '2 days' where body in ('one', 'two')",
    );
    await db.end();
    await b.reload();
    const days = await b.locator("#messages > .day").allTextContents();
    assert.equal(days.length, 2);
    assert.notEqual(days[0], "Yesterday");
    assert.equal(days[1], "Today");
    assert.deepEqual(await groups(b), expected, "the group holds within its day");
  },
});

Deno.test({
  name: "a background tab's title counts new messages and clears when it is looked at",
  ...open,
  async fn() {
    await using server = await liveServer();
    await using browser = await openBrowser();
    const a = await browser.page();
    await a.context().addInitScript(VISIBILITY);
    await signUp(a, server.base, uniqueName("ana"));
    await createRoom(a, server.base, "x");
    await a.reload();
    const b = await browser.page();
    await joinAsGuest(b, server.base, uniqueName("bea"));
    await b.goto(`${server.base}/rooms/x`);
    await Promise.all([waitLive(a), waitLive(b)]);
    assert.equal(await a.title(), "#x · Hyperchat");

    await a.evaluate(() =>
      (globalThis as unknown as { __setVisibility(s: string): void }).__setVisibility("hidden")
    );
    await sendWithEnter(b, "are you there?");
    await sendWithEnter(b, "hello?");
    await waitForMessages(a, ["are you there?", "hello?"]);
    await a.waitForFunction(
      (t) => (globalThis as unknown as { document: { title: string } }).document.title === t,
      "(2) #x · Hyperchat",
    );
    const icon = await a.locator("link[rel~='icon']").getAttribute("href");
    assert.match(icon ?? "", /^data:image\/svg\+xml,/, "the icon shows a dot");

    await a.evaluate(() =>
      (globalThis as unknown as { __setVisibility(s: string): void }).__setVisibility("visible")
    );
    await a.waitForFunction(
      (t) => (globalThis as unknown as { document: { title: string } }).document.title === t,
      "#x · Hyperchat",
    );
    assert.doesNotMatch(
      await a.locator("link[rel~='icon']").getAttribute("href") ?? "",
      /^data:/,
    );
  },
});
