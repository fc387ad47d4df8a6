// With JavaScript off the room stays current without losing what the person is typing: the
// message list is a frame that reloads itself at its newest message, the page never reloads.
import assert from "node:assert/strict";
import { openBrowser } from "../fixtures/browser.ts";
import { liveServer } from "../fixtures/server.ts";
import {
  createRoom,
  joinAsGuest,
  sendWithEnter,
  signUp,
  uniqueName,
  waitForMessages,
  waitLive,
} from "./browser.ts";
import { LOG_REFRESH_S } from "../../views/room_log.tsx";

const open = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "with JavaScript off, typed text survives the list's refresh and the newest is in view",
  ...open,
  async fn() {
    await using server = await liveServer();
    await using browser = await openBrowser();
    const ana = await browser.page();
    await signUp(ana, server.base, uniqueName("ana"));
    await createRoom(ana, server.base, "x");
    await waitLive(ana);
    const early = Array.from({ length: 30 }, (_, i) => `early ${i + 1}`);
    for (const text of early) await sendWithEnter(ana, text);
    await waitForMessages(ana, early);

    const bo = await browser.page({ javaScriptEnabled: false });
    await joinAsGuest(bo, server.base, uniqueName("bo"));
    await bo.goto(`${server.base}/rooms/x`);
    assert.equal(await bo.locator("#messages").isVisible(), false, "the frame replaces the list");
    const log = bo.frameLocator("iframe.nojs-log");
    await log.locator("article", { hasText: "early 30" }).waitFor();
    const box = bo.locator("#composer textarea");
    await box.fill("half-written words");

    await sendWithEnter(ana, "news while bo types");
    const fresh = log.locator("article", { hasText: "news while bo types" });
    await fresh.waitFor({ timeout: (LOG_REFRESH_S + 10) * 1000 });
    assert.equal(await box.inputValue(), "half-written words", "the draft survived");
    // The newest message is inside the frame's visible part.
    const frame = (await bo.locator("iframe.nojs-log").boundingBox())!;
    const newest = (await fresh.boundingBox())!;
    assert.ok(newest.y >= frame.y && newest.y + newest.height <= frame.y + frame.height + 1);

    // And the draft can still be sent as a plain form.
    await Promise.all([
      bo.waitForNavigation(),
      bo.locator("#composer button[type=submit]").click(),
    ]);
    await waitForMessages(ana, [...early, "news while bo types", "half-written words"]);
  },
});
