// The walking skeleton in a real browser: sign up, create a room, post, with and without JS.
import assert from "node:assert/strict";
import { openBrowser } from "../fixtures/browser.ts";
import { liveServer } from "../fixtures/server.ts";
import {
  createRoom,
  markWindow,
  messageBodies,
  sendWithEnter,
  signUp,
  uniqueName,
  waitForMessages,
  waitLive,
  windowMarker,
} from "./browser.ts";

const open = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "a person signs up, creates a room and posts a message with JavaScript on",
  ...open,
  async fn() {
    await using server = await liveServer();
    await using browser = await openBrowser();
    const page = await browser.page();
    await signUp(page, server.base, uniqueName("ada"));
    await createRoom(page, server.base, "Skeleton JS");
    assert.equal(new URL(page.url()).pathname, "/rooms/skeleton-js");
    await waitLive(page);
    const marker = await markWindow(page);

    await sendWithEnter(page, "hello from a live page");
    await waitForMessages(page, ["hello from a live page"]);

    assert.equal(await windowMarker(page), marker, "the page reloaded or navigated");
    assert.equal(new URL(page.url()).pathname, "/rooms/skeleton-js");
    assert.deepEqual(await messageBodies(page), ["hello from a live page"]);
    // The composer was emptied when the frame went out, before the message came back.
    assert.equal(await page.locator("#composer textarea[name=body]").inputValue(), "");
  },
});

Deno.test({
  name: "a person signs up, creates a room and posts a message with JavaScript off",
  ...open,
  async fn() {
    await using server = await liveServer();
    await using browser = await openBrowser();
    const page = await browser.page({ javaScriptEnabled: false });
    await signUp(page, server.base, uniqueName("bob"));
    await createRoom(page, server.base, "Skeleton Plain");
    assert.equal(new URL(page.url()).pathname, "/rooms/skeleton-plain");

    await page.locator("#composer textarea[name=body]").fill("hello from a plain form");
    const [post] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.locator("#composer button[type=submit]").click(),
    ]);
    assert.equal(new URL(post.url()).pathname, "/rooms/skeleton-plain/messages");
    assert.equal(post.status(), 303);
    assert.equal(await post.headerValue("location"), "/rooms/skeleton-plain");
    await page.waitForURL(`${server.base}/rooms/skeleton-plain`, { waitUntil: "load" });

    assert.deepEqual(await messageBodies(page), ["hello from a plain form"]);
  },
});

Deno.test({
  name: "a message with HTML in it shows as text",
  ...open,
  async fn() {
    await using server = await liveServer();
    await using browser = await openBrowser();
    const page = await browser.page();
    await signUp(page, server.base, uniqueName("eve"));
    await createRoom(page, server.base, "Markup");
    await waitLive(page);

    const body = "<b>bold?</b>";
    await sendWithEnter(page, body);
    await waitForMessages(page, [body]);
    // Pushed live, then rendered again by the page itself.
    for (const round of ["live", "reloaded"]) {
      const message = page.locator("#messages article .body").filter({ hasText: body });
      assert.equal(await message.count(), 1, round);
      assert.equal((await message.textContent())?.trim(), body, round);
      assert.equal(await message.locator("b").count(), 0, `${round}: a <b> element was made`);
      assert.equal(await page.locator("#messages b").count(), 0, round);
      if (round === "live") {
        await page.reload({ waitUntil: "load" });
        await waitForMessages(page, [body]);
      }
    }
  },
});
