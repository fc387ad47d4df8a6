// A formatted message in Chromium: typed markdown arrives live as quotes, lists, code and links
// (views/format.tsx), a long code line wraps inside its block instead of widening a phone's
// page, and axe-core finds nothing wrong with the blocks' colours or structure.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { openBrowser, sendWithEnter, testServer, twoInRoom } from "./browser.ts";

const open = { sanitizeOps: false, sanitizeResources: false };
const AXE = await Deno.readTextFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"));

const MESSAGE = [
  "# Plan",
  "> from @someone",
  "",
  "1. **ship** it",
  "   - ~~later~~ *now*",
  "",
  "```ts",
  `const line = "${"x".repeat(300)}";`,
  "```",
  "",
  "see https://a.example/docs and `deno task check` <b>not bold</b> ![img](https://a.example/i.png)",
].join("\n");

/** The tags of the last stored message's body, in document order, with a few attributes. */
async function lastBodyShape(page: Page): Promise<string[]> {
  return await page.locator("#messages article:not(.pending) .body").last().evaluate((body) =>
    [...body.querySelectorAll("*")].map((el) =>
      [el.tagName.toLowerCase(), el.getAttribute("class"), el.getAttribute("href")]
        .filter(Boolean).join(" ")
    )
  );
}

async function violations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const result = await page.evaluate(
    "axe.run('#messages', { resultTypes: ['violations'] })",
  ) as { violations: { id: string; nodes: { target: string[] }[] }[] };
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" "))}`);
}

Deno.test({
  name: "a markdown message arrives live as blocks, wraps its code, and passes axe",
  ...open,
  async fn() {
    await using server = await testServer();
    await using browser = await openBrowser();
    // axe runs as a script of its own, which the page's CSP would refuse.
    const pages = { page: () => browser.page({ bypassCSP: true }) };
    const { a, b } = await twoInRoom(pages, server.base);
    await sendWithEnter(a, MESSAGE);
    await b.locator("#messages article:not(.pending) .body pre").waitFor();
    assert.deepEqual(await lastBodyShape(b), [
      "p heading",
      "strong",
      "blockquote",
      "p",
      "span mention",
      "ol",
      "li",
      "strong",
      "ul",
      "li",
      "del",
      "em",
      "pre",
      "code language-ts",
      "p",
      "a https://a.example/docs",
      "code",
      "a https://a.example/i.png",
    ]);
    assert.equal(await b.locator("#messages img").count(), 0);
    for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
      await b.setViewportSize(viewport);
      const wide = await b.evaluate("document.documentElement.scrollWidth - innerWidth");
      assert.equal(wide, 0, `${viewport.width} px wide: the page scrolls sideways`);
      assert.deepEqual(await violations(b), []);
    }
  },
});
