// The bots admin page and the account page's tokens, made through their forms in Chromium,
// fit a phone and a laptop with no axe-core violations.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { openBrowser } from "../fixtures/browser.ts";
import { liveServer } from "../fixtures/server.ts";
import { waitUntil } from "../fixtures/wait.ts";
import { createRoom, sendWithEnter, signUp, uniqueName, waitLive } from "./browser.ts";

const open = { sanitizeOps: false, sanitizeResources: false };
const AXE = await Deno.readTextFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"));

async function problems(page: Page, label: string): Promise<string[]> {
  const wide = await page.evaluate("document.documentElement.scrollWidth - innerWidth") as number;
  await page.evaluate(AXE);
  const result = await page.evaluate("axe.run(document, { resultTypes: ['violations'] })") as {
    violations: { id: string; nodes: { target: string[] }[] }[];
  };
  return [
    ...(wide > 0 ? [`${label}: ${wide} px too wide`] : []),
    ...result.violations.map((v) => `${label}: ${v.id} ${v.nodes[0]?.target.join(" ")}`),
  ];
}

Deno.test({
  name: "the bots page and the account's tokens fit a phone and a laptop with no axe violations",
  ...open,
  async fn() {
    let posts = 0;
    const receiver = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, () => {
      posts++;
      return new Response(null, { status: 500 });
    });
    await using server = await liveServer();
    await using browser = await openBrowser();
    try {
      const admin = await browser.page();
      await signUp(admin, server.base, uniqueName("ada"));
      await createRoom(admin, server.base, "general");
      await admin.goto(`${server.base}/admin/bots`);
      await admin.fill("input[name=username]", "robo");
      await admin.fill("input[name=webhook_url]", `http://127.0.0.1:${receiver.addr.port}/hook`);
      await admin.click("button:has-text('Create bot')");
      await admin.locator("text=The bot's token").waitFor();
      await admin.fill("input[name=room]", "general");
      await admin.click("button:has-text('Make a webhook URL')");
      await admin.locator("text=The webhook URL").waitFor();
      await admin.goto(`${server.base}/rooms/general`);
      await waitLive(admin);
      await sendWithEnter(admin, "@robo status please");
      await waitUntil(() => posts >= 1, "the outgoing POST");
      await admin.goto(`${server.base}/account`);
      await admin.fill("#api-tokens input[name=name]", "laptop script");
      await admin.click("button:has-text('Make a token')");
      await admin.locator("text=Your new token").waitFor();

      const found: string[] = [];
      for (const [name, width, height] of [["phone", 390, 844], ["laptop", 1280, 800]] as const) {
        await admin.setViewportSize({ width, height });
        for (const path of ["/admin/bots", "/account"]) {
          await admin.goto(`${server.base}${path}`);
          await admin.waitForLoadState("load");
          found.push(...await problems(admin, `${name} ${path}`));
        }
      }
      assert.deepEqual(found, []);
    } finally {
      await receiver.shutdown();
    }
  },
});
