// The inbox in real browsers: a private message updates the recipient's header badge and
// shows a notice live, on whatever page they are looking at.
import assert from "node:assert/strict";
import { openBrowser, WAIT } from "../fixtures/browser.ts";
import { liveServer } from "../fixtures/server.ts";
import {
  createRoom,
  joinAsGuest,
  markWindow,
  sendWithEnter,
  uniqueName,
  waitForMessages,
  waitLive,
  windowMarker,
} from "./browser.ts";

const open = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "Bob, looking at another room, sees his badge and a notice when Ana sends him a " +
    "private message, and the conversation shows it",
  ...open,
  async fn() {
    await using server = await liveServer();
    await using browser = await openBrowser();
    const base = server.base;
    const [anaName, bobName] = [uniqueName("ana"), uniqueName("bob")];
    const ana = await browser.page();
    await joinAsGuest(ana, base, anaName);
    await createRoom(ana, base, "general");
    const bob = await browser.page();
    await joinAsGuest(bob, base, bobName);
    await createRoom(bob, base, "random");
    await Promise.all([waitLive(ana), waitLive(bob)]);
    const badge = bob.locator("#inbox-badge");
    await bob.locator('#inbox-badge[data-unread="0"]').waitFor();
    assert.equal(await badge.locator(".badge").count(), 0, "no count before");
    const mark = await markWindow(bob);

    await sendWithEnter(ana, `/pm ${bobName} hello from ana`);
    await ana.locator("#notices .notice.delivered", { hasText: "hello from ana" }).waitFor();

    await badge.locator(".badge", { hasText: "1" }).waitFor();
    const notice = bob.locator("#notices .notice.incoming", { hasText: "hello from ana" });
    await notice.waitFor();
    assert.equal(await windowMarker(bob), mark, "Bob's page did not reload");
    assert.equal(new URL(bob.url()).pathname, "/rooms/random");

    await Promise.all([bob.waitForURL(`${base}/dm/${anaName}`), notice.locator("a").click()]);
    await waitForMessages(bob, ["hello from ana"]);
    await bob.locator('#inbox-badge[data-unread="0"]').waitFor();

    // While the conversation is on screen, what lands there is read, not unread.
    await waitLive(bob);
    await sendWithEnter(ana, `/pm ${bobName} are you there?`);
    await waitForMessages(bob, ["hello from ana", "are you there?"]);
    await bob.locator('#inbox-badge[data-unread="0"]').waitFor();
    // The page's read marker (not a reload) clears it; without it this never settles.
    const inboxPage = () => bob.evaluate(() => fetch("/inbox").then((r) => r.text()));
    const deadline = Date.now() + WAIT;
    while (/unread<\/span>/.test(await inboxPage())) {
      assert.ok(Date.now() < deadline, "the inbox still counts the message as unread");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await bob.locator('#inbox-badge[data-unread="0"]').waitFor();
    assert.equal(
      await bob.locator("#notices .notice.incoming", { hasText: "are you there?" }).count(),
      0,
      "no notice about the conversation on screen",
    );
  },
});
