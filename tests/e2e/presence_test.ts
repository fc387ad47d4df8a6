// Presence in real browsers: the online list, the typing line, the Message button and the
// room index's live counts.
import assert from "node:assert/strict";
import { openBrowser } from "../fixtures/browser.ts";
import { liveServer } from "../fixtures/server.ts";
import { createRoom, joinAsGuest, uniqueName, waitLive } from "./browser.ts";

const open = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "people see who is online and who is typing, and can start a private message",
  ...open,
  async fn() {
    await using server = await liveServer();
    await using browser = await openBrowser();
    const [alice, bea] = [uniqueName("alice"), uniqueName("bea")];
    const a = await browser.page();
    await joinAsGuest(a, server.base, alice);
    await createRoom(a, server.base, "x");
    await a.goto(`${server.base}/rooms/x`);
    await waitLive(a);
    const index = await browser.page();
    await joinAsGuest(index, server.base, uniqueName("cid"));
    await index.locator(".online-count", { hasText: "1 online" }).waitFor();

    const b = await browser.page();
    await joinAsGuest(b, server.base, bea);
    await b.goto(`${server.base}/rooms/x?transport=sse`);
    await waitLive(b);
    await b.locator("#messages .notice", { hasText: `Welcome to #x, ${bea}` }).waitFor();
    await a.locator("#online li", { hasText: bea }).waitFor();
    await a.locator("#messages .notice", { hasText: `${bea} joined` }).waitFor();
    await index.locator(".online-count", { hasText: "2 online" }).waitFor();

    await a.locator("#composer textarea[name=body]").pressSequentially("hel");
    await b.locator("#typing", { hasText: `${alice} is typing…` }).waitFor();
    assert.equal((await a.locator("#typing").textContent())?.trim(), "");

    await a.locator("#online li a", { hasText: bea }).click();
    assert.equal(await a.locator("#composer textarea[name=body]").inputValue(), `/pm ${bea} `);
    assert.equal(new URL(a.url()).pathname, "/rooms/x", "the link did not navigate");

    await b.close();
    await a.locator("#messages .notice", { hasText: `${bea} left` }).waitFor();
    await index.locator(".online-count", { hasText: "1 online" }).waitFor();
  },
});
