// Files in a real browser: an image attached with the composer's button appears inline on
// another person's page, live; an HTML or SVG file with a script never runs it, opened
// directly or from the message.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { DOT_PNG } from "../fixtures/images.ts";
import {
  createRoom,
  joinAsGuest,
  openBrowser,
  signUp,
  testServer,
  twoInRoom,
  uniqueName,
} from "./browser.ts";

const open = { sanitizeOps: false, sanitizeResources: false };

/** A page that records whether any script called its `__ran` binding. */
async function watched(browser: Awaited<ReturnType<typeof openBrowser>>) {
  const page = await browser.page();
  const ran: string[] = [];
  await page.context().exposeBinding("__ran", (source) => void ran.push(source.page.url()));
  return { page, ran };
}

const HTML = "<!doctype html><title>safe</title><script>document.title='ran';__ran()</script>";
const SVG =
  `<svg xmlns="http://www.w3.org/2000/svg" onload="__ran()"><script>__ran()</script></svg>`;

/** Attaches files with the composer's button and sends them, with or without text. */
async function attachAndSend(
  page: Page,
  files: { name: string; mimeType: string; buffer: Uint8Array }[],
  text = "",
) {
  await page.locator("#composer input[name=files]").setInputFiles(
    files.map((f) => ({ ...f, buffer: Buffer.from(f.buffer) })),
  );
  assert.equal(
    await page.locator("#composer .attach span").textContent(),
    `Attach (${files.length})`,
  );
  if (text) await page.locator("#composer textarea").fill(text);
  await page.locator("#composer button[type=submit]").click();
}

Deno.test({
  name:
    "an image attached with the composer's button uploads with a progress bar and shows inline on another page, live",
  ...open,
  async fn() {
    await using server = await testServer();
    await using browser = await openBrowser();
    // The reader is on the SSE transport; the sender's own page on the WebSocket.
    const { a, b } = await twoInRoom(browser, server.base, { transport: "sse" });
    // The upload is held until its pending copy shows a progress bar.
    await a.route("**/rooms/x/messages", async (route) => {
      await a.locator("#messages .pending progress").waitFor();
      await route.continue();
    });
    await attachAndSend(a, [{ name: "dot.png", mimeType: "image/png", buffer: DOT_PNG }], "a dot");
    const seen = b.locator("#messages article.msg img[alt='dot.png']");
    await seen.waitFor();
    assert.equal(await seen.getAttribute("width"), "1");
    assert.equal(await seen.getAttribute("loading"), "lazy");
    await b.waitForFunction(
      `document.querySelector("#messages img[alt='dot.png']").naturalWidth === 1`,
    );
    assert.match(await b.locator("#messages article.msg").last().innerText(), /a dot/);
    await a.locator("#messages article.msg:not(.pending) img[alt='dot.png']").waitFor();
    assert.equal(await a.locator("#messages .pending").count(), 0, "the pending copy is gone");
    assert.equal(await a.locator("#composer .attach span").textContent(), "Attach");
  },
});

Deno.test({
  name: "a file of HTML or SVG with a script never runs it, opened directly or from the page",
  ...open,
  async fn() {
    await using server = await testServer();
    await using browser = await openBrowser();
    const { a } = await twoInRoom(browser, server.base);
    // The watcher works: the same HTML, rendered as a page, does run.
    const control = await watched(browser);
    await control.page.setContent(HTML);
    assert.equal(control.ran.length, 1, "the script runs when the HTML is a page");

    await attachAndSend(a, [
      { name: "page.html", mimeType: "text/html", buffer: new TextEncoder().encode(HTML) },
      { name: "pic.svg", mimeType: "image/svg+xml", buffer: new TextEncoder().encode(SVG) },
      { name: "fake.png", mimeType: "image/png", buffer: new TextEncoder().encode(HTML) },
    ]);
    const links = a.locator("#messages article.msg:not(.pending) a.file.download");
    await links.nth(2).waitFor();
    assert.equal(
      await a.locator("#messages article.msg img").count(),
      0,
      "none is shown as an image",
    );
    const hrefs = await links.evaluateAll((els) => els.map((e) => e.getAttribute("href")!));

    const { page, ran } = await watched(browser);
    const cookies = await a.context().cookies();
    await page.context().addCookies(cookies);
    for (const href of hrefs) {
      const downloaded = page.waitForEvent("download");
      await page.goto(server.base + href).catch(() => {}); // a download aborts the navigation
      assert.equal(await (await downloaded).failure(), null);
    }
    await page.goto(`${server.base}/rooms/x`);
    for (let i = 0; i < hrefs.length; i++) {
      const downloaded = page.waitForEvent("download");
      await page.locator("#messages a.file.download").nth(i).click();
      await downloaded;
    }
    assert.deepEqual(ran, [], "no script in a file ran");
    assert.notEqual(await page.title(), "ran");
  },
});

Deno.test({
  name: "with JavaScript off, the composer sends an image as a plain form and the list shows it",
  ...open,
  async fn() {
    await using server = await testServer();
    await using browser = await openBrowser();
    const ana = await browser.page();
    await signUp(ana, server.base, uniqueName("ana"));
    await createRoom(ana, server.base, "x");
    const bo = await browser.page({ javaScriptEnabled: false });
    await joinAsGuest(bo, server.base, uniqueName("bo"));
    await bo.goto(`${server.base}/rooms/x`);
    await bo.locator("#composer input[name=files]").setInputFiles({
      name: "dot.png",
      mimeType: "image/png",
      buffer: Buffer.from(DOT_PNG),
    });
    // Without the script's count in the label, the input itself shows what was chosen, and
    // it still fits a phone.
    const shown = "getComputedStyle(document.querySelector('#composer input[name=files]')).opacity";
    assert.equal(await bo.evaluate(shown), "1");
    await bo.setViewportSize({ width: 390, height: 800 });
    const overflow = await bo.evaluate(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    );
    assert.equal(overflow, 0, "the composer fits 390 px");
    await bo.locator("#composer textarea").fill("sent without script");
    await Promise.all([
      bo.waitForNavigation(),
      bo.locator("#composer button[type=submit]").click(),
    ]);
    const log = bo.frameLocator("iframe.nojs-log");
    const image = log.locator("article", { hasText: "sent without script" }).locator("img");
    await image.waitFor();
    assert.equal(await image.getAttribute("alt"), "dot.png");
    await ana.goto(`${server.base}/rooms/x`);
    await ana.locator("#messages img[alt='dot.png']").waitFor();
  },
});
