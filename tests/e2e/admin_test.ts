// Admin moderation in real browsers: removal from a private room shows why on the removed
// person's open pages (WebSocket and SSE) and nothing more arrives there.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { openBrowser } from "../fixtures/browser.ts";
import { liveServer } from "../fixtures/server.ts";
import {
  createRoom,
  messageBodies,
  sendWithEnter,
  signUp,
  uniqueName,
  waitForMessages,
  waitLive,
} from "./browser.ts";

const open = { sanitizeOps: false, sanitizeResources: false };

async function submit(page: Page, form: string, fields: Record<string, string> = {}) {
  const locator = page.locator(form);
  for (const [name, value] of Object.entries(fields)) {
    await locator.locator(`[name="${name}"]`).fill(value);
  }
  await Promise.all([page.waitForNavigation(), locator.locator('button[type="submit"]').click()]);
}

Deno.test("a member removed from a private room sees why on every open page", open, async () => {
  await using server = await liveServer();
  await using browser = await openBrowser();
  const ada = await browser.page();
  await signUp(ada, server.base, uniqueName("ada"));
  await ada.locator('main.index form.new-room input[name="kind"]').check();
  await createRoom(ada, server.base, "secret");
  const mia = uniqueName("mia");
  const overWs = await browser.page();
  await signUp(overWs, server.base, mia);
  await ada.goto(`${server.base}/rooms/secret/members`);
  await submit(ada, 'form[action="/rooms/secret/members"]', { username: mia });
  await overWs.goto(`${server.base}/rooms/secret`);
  const overSse = await overWs.context().newPage();
  await overSse.goto(`${server.base}/rooms/secret?transport=sse`);
  await Promise.all([waitLive(overWs), waitLive(overSse)]);

  await ada.goto(`${server.base}/rooms/secret`);
  await waitLive(ada);
  await sendWithEnter(ada, "before removal");
  await Promise.all([
    waitForMessages(overWs, ["before removal"]),
    waitForMessages(overSse, ["before removal"]),
  ]);

  await ada.goto(`${server.base}/admin/rooms`);
  await Promise.all([ada.waitForNavigation(), ada.locator("a", { hasText: "#secret" }).click()]);
  const row = ada.locator("ul.admin-members li", { hasText: `@${mia}` });
  await Promise.all([ada.waitForNavigation(), row.locator("button").click()]);
  for (const page of [overWs, overSse]) {
    await page.locator("#status", { hasText: "You were removed from #secret" }).waitFor();
  }
  await ada.goto(`${server.base}/rooms/secret`);
  await waitLive(ada);
  await sendWithEnter(ada, "after removal");
  await waitForMessages(ada, ["after removal"]);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  for (const page of [overWs, overSse]) {
    assert.deepEqual(await messageBodies(page), ["before removal"]);
    assert.match(
      (await page.locator("#status").textContent())?.trim() ?? "",
      /^You were removed from #secret\b/,
    );
  }
});

Deno.test("a member posting in an admin-only room reads why under the composer", open, async () => {
  await using server = await liveServer();
  await using browser = await openBrowser();
  const ada = await browser.page();
  await signUp(ada, server.base, uniqueName("ada"));
  await createRoom(ada, server.base, "news");
  await ada.goto(`${server.base}/admin/rooms`);
  await Promise.all([ada.waitForNavigation(), ada.locator("a", { hasText: "#news" }).click()]);
  await ada.locator('select[name="access"]').selectOption("admin-only");
  await Promise.all([
    ada.waitForNavigation(),
    ada.locator("button", { hasText: "Save room" }).click(),
  ]);
  const overWs = await browser.page();
  await signUp(overWs, server.base, uniqueName("mia"));
  const overSse = await overWs.context().newPage();
  await overWs.goto(`${server.base}/rooms/news`);
  await overSse.goto(`${server.base}/rooms/news?transport=sse`);
  await Promise.all([waitLive(overWs), waitLive(overSse)]);
  for (const page of [overWs, overSse]) {
    await sendWithEnter(page, "may I?");
    await page.locator("#composer-error", { hasText: "Only admins can post in #news" }).waitFor();
  }
  assert.deepEqual(await messageBodies(overSse), []);
});
