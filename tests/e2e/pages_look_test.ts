// Every page at a phone's 390×844 and a laptop's 1280×800: no horizontal scroll, and axe-core
// (from npm, run in the page) finds no accessibility violations; on the phone, the room's
// list of rooms and its people online open from the room header.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
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

const open = { sanitizeOps: false, sanitizeResources: false };
const AXE = await Deno.readTextFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"));

interface AxeResult {
  violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
}

/** axe-core's violations on the page as it is now, one line each. */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const result = await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] })",
  ) as AxeResult;
  return result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`
  );
}

/** True when the page scrolls sideways. */
async function overflows(page: Page): Promise<number> {
  return await page.evaluate("document.documentElement.scrollWidth - innerWidth") as number;
}

const SIZES = [
  { name: "phone", viewport: { width: 390, height: 844 } },
  { name: "laptop", viewport: { width: 1280, height: 800 } },
];

Deno.test({
  name: "lobby, room, inbox, search and admin pages fit phone and laptop with no axe violations",
  ...open,
  async fn() {
    await using server = await liveServer();
    await using browser = await openBrowser();
    const admin = await browser.page({ bypassCSP: true });
    await signUp(admin, server.base, uniqueName("ada"));
    await createRoom(admin, server.base, "general");
    await waitLive(admin);
    await sendWithEnter(admin, "Welcome, everyone: the deploy is at 9");
    await waitForMessages(admin, ["Welcome, everyone: the deploy is at 9"]);
    const guest = await browser.page({ bypassCSP: true });
    await joinAsGuest(guest, server.base, uniqueName("bo"));
    await guest.goto(`${server.base}/rooms/general`);
    await waitLive(guest);
    await sendWithEnter(guest, "Morning!");
    await waitForMessages(admin, ["Morning!"]);

    const pages: [Page, string][] = [
      [guest, "/"],
      [guest, "/rooms/general"],
      [guest, "/inbox"],
      [guest, "/search?q=deploy"],
      [admin, "/admin"],
      [admin, "/admin/users"],
    ];
    const found: string[] = [];
    for (const size of SIZES) {
      for (const [page, path] of pages) {
        await page.setViewportSize(size.viewport);
        await page.goto(`${server.base}${path}`);
        await page.waitForLoadState("load");
        const wide = await overflows(page);
        if (wide > 0) found.push(`${size.name} ${path}: ${wide} px too wide`);
        for (const v of await violations(page)) found.push(`${size.name} ${path}: ${v}`);
      }
    }
    assert.deepEqual(found, []);
  },
});

Deno.test({
  name: "on a phone the room header opens the room list and the people online",
  ...open,
  async fn() {
    await using server = await liveServer();
    await using browser = await openBrowser();
    const ana = await browser.page();
    await signUp(ana, server.base, uniqueName("ana"));
    await createRoom(ana, server.base, "general");
    await ana.goto(`${server.base}/`);
    await createRoom(ana, server.base, "random");
    const phone = await browser.page({ viewport: { width: 390, height: 844 } });
    const bo = uniqueName("bo");
    await joinAsGuest(phone, server.base, bo);
    await phone.goto(`${server.base}/rooms/general`);
    await waitLive(phone);
    const rooms = phone.locator("#rooms");
    assert.equal(await rooms.isVisible(), false, "the list is closed at first");
    await phone.locator("a.panel-link", { hasText: "Rooms" }).click();
    await rooms.waitFor({ state: "visible" });
    await Promise.all([
      phone.waitForURL(`${server.base}/rooms/random`),
      rooms.locator("a", { hasText: "#random" }).click(),
    ]);
    await waitLive(phone);
    await phone.locator("a.panel-link", { hasText: "People" }).click();
    const people = phone.locator("#online");
    await people.waitFor({ state: "visible" });
    await people.locator("a", { hasText: bo }).waitFor();
    // Someone arriving updates the open panel in place; it stays open.
    await ana.goto(`${server.base}/rooms/random`);
    await people.locator("a", { hasText: "ana_" }).waitFor();
    await phone.locator("a.close-people").click();
    await people.waitFor({ state: "hidden" });
  },
});
