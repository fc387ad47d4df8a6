// Who gets in, in a real browser (issue 21): under the invitation default the founder signs up,
// makes an invitation link in the admin panel and a second person joins through it; a reset
// link made on the people page sets a new password. Every page on the way fits a phone and a
// laptop with no axe-core violations.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { openBrowser, signUp, testServer, uniqueName } from "./browser.ts";

const open = { sanitizeOps: false, sanitizeResources: false };
const AXE = await Deno.readTextFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"));
const SIZES = [{ width: 390, height: 844 }, { width: 1280, height: 800 }];

/** Sideways scroll and axe-core violations of the page as it is now, one line each. */
async function problems(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const viewport of SIZES) {
    await page.setViewportSize(viewport);
    const wide = await page.evaluate("document.documentElement.scrollWidth - innerWidth");
    if ((wide as number) > 0) found.push(`${viewport.width} px: ${wide} px too wide`);
    await page.evaluate(AXE);
    const result = await page.evaluate("axe.run(document, { resultTypes: ['violations'] })");
    for (const v of (result as { violations: { id: string }[] }).violations) {
      found.push(`${viewport.width} px: ${v.id}`);
    }
  }
  return found.map((line) => `${new URL(page.url()).pathname.slice(0, 20)} ${line}`);
}

/** Submits the form of `button` (in the row naming `row`, if given); waits for the next page. */
async function submit(page: Page, button: string, row?: string) {
  const scope = row ? page.locator("tr", { hasText: row }) : page;
  await Promise.all([
    page.waitForEvent("load"),
    scope.getByRole("button", { name: button }).click(),
  ]);
}

Deno.test({
  name: "a person joins through an invitation link and sets a new password through a reset link",
  ...open,
  async fn() {
    await using server = await testServer({ REGISTRATION: "invitation" });
    await using browser = await openBrowser();
    const found: string[] = [];
    const admin = await browser.page({ bypassCSP: true });
    await signUp(admin, server.base, uniqueName("ada"));
    await admin.goto(`${server.base}/admin/invitations`);
    await admin.fill('input[name="max_uses"]', "1");
    await submit(admin, "Create link");
    const link = await admin.locator("input[readonly]").inputValue();
    found.push(...await problems(admin));

    const guest = await browser.page({ bypassCSP: true });
    await guest.goto(`${server.base}/`);
    assert.equal(await guest.locator('form[action="/signup"]').count(), 0);
    await guest.goto(link);
    found.push(...await problems(guest));
    const mia = uniqueName("mia");
    await guest.fill('input[name="username"]', mia);
    await guest.fill('input[name="password"]', "mia's long password");
    await submit(guest, "Sign up");
    await guest.locator("nav.user-menu").waitFor();
    await guest.getByRole("link", { name: "Account" }).click();
    await guest.waitForURL(`${server.base}/account`);
    found.push(...await problems(guest));

    await admin.goto(`${server.base}/admin/users`);
    await submit(admin, "Reset link", mia);
    const reset = await admin.locator("input[readonly]").inputValue();
    found.push(...await problems(admin));
    await guest.goto(reset);
    found.push(...await problems(guest));
    await guest.fill('input[name="new_password"]', "a brand new password");
    await submit(guest, "Set password");
    await guest.locator("nav.user-menu").waitFor();
    await guest.goto(link);
    assert.match(await guest.locator("main").innerText(), /used up/);
    assert.deepEqual(found, []);
  },
});
