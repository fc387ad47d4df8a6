// Live updates between real browsers: WebSocket and SSE side by side, and across a restart.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { openStore } from "../../db/connect.ts";
import { sendMessage } from "../../db/send.ts";
import { findRoom } from "../../db/rooms.ts";
import { findUserByName } from "../../db/users.ts";
import { openBrowser } from "../fixtures/browser.ts";
import { freePort, liveServer, startServer } from "../fixtures/server.ts";
import { serverDatabase } from "../fixtures/store.ts";
import {
  createRoom,
  joinAsGuest,
  markWindow,
  messageBodies,
  sendWithEnter,
  signUp,
  uniqueName,
  waitForMessages,
  waitLive,
  waitStatus,
  windowMarker,
} from "./browser.ts";

const open = { sanitizeOps: false, sanitizeResources: false };

/** A opens room x over WebSocket (the default), B over SSE; both are connected. */
async function twoReaders(browser: Awaited<ReturnType<typeof openBrowser>>, base: string) {
  const alice = uniqueName("alice");
  const a = await browser.page();
  await signUp(a, base, alice);
  await createRoom(a, base, "x");
  await a.goto(`${base}/rooms/x`);
  const b = await browser.page();
  await joinAsGuest(b, base, uniqueName("bea"));
  await b.goto(`${base}/rooms/x?transport=sse`);
  assert.equal(await a.locator("main.room").getAttribute("data-transport"), "ws");
  assert.equal(await b.locator("main.room").getAttribute("data-transport"), "sse");
  await Promise.all([waitLive(a), waitLive(b)]);
  return { a, b, alice };
}

/** Each text is on both pages exactly once, and both pages list the same messages in order. */
async function assertBothShow(a: Page, b: Page, texts: string[]) {
  await Promise.all([waitForMessages(a, texts), waitForMessages(b, texts)]);
  const [onA, onB] = [await messageBodies(a), await messageBodies(b)];
  assert.deepEqual(onA, onB, "the two pages differ");
  for (const text of texts) assert.equal(onA.filter((t) => t === text).length, 1, text);
}

Deno.test({
  name: "two people see each other's messages live, one on WebSocket and one on SSE",
  ...open,
  async fn() {
    await using server = await liveServer();
    await using browser = await openBrowser();
    const { a, b } = await twoReaders(browser, server.base);
    const marks = [await markWindow(a), await markWindow(b)];

    await sendWithEnter(a, "hello from the WebSocket page");
    await assertBothShow(a, b, ["hello from the WebSocket page"]);
    await sendWithEnter(b, "hello from the SSE page");
    await assertBothShow(a, b, ["hello from the WebSocket page", "hello from the SSE page"]);
    // Both at once: whatever order the server picks, both pages agree on it.
    await Promise.all([sendWithEnter(a, "together A"), sendWithEnter(b, "together B")]);
    await assertBothShow(a, b, [
      "hello from the WebSocket page",
      "hello from the SSE page",
      "together A",
      "together B",
    ]);

    assert.deepEqual([await windowMarker(a), await windowMarker(b)], marks, "a page reloaded");
    assert.equal((await messageBodies(a)).length, 4);
  },
});

Deno.test({
  name: "after the server restarts, a message sent during the outage appears on both pages " +
    "without a reload",
  ...open,
  async fn() {
    // The same port and the same data on both sides of the restart.
    const database = await serverDatabase({ persistent: true });
    const env: Record<string, string> = { ...database.env, PORT: String(freePort()) };
    let server: Awaited<ReturnType<typeof startServer>> | null = await startServer(env);
    const base = server.base;
    const browser = await openBrowser();
    try {
      const { a, b, alice } = await twoReaders(browser, base);
      await sendWithEnter(a, "before the restart");
      await assertBothShow(a, b, ["before the restart"]);
      const marks = [await markWindow(a), await markWindow(b)];

      await server.stop();
      server = null;
      // Both pages notice and say so while the server is down.
      await Promise.all([waitStatus(a, "offline"), waitStatus(b, "offline")]);

      // Sent while no server runs: straight through the database layer.
      const store = await openStore({
        databaseUrl: env.DATABASE_URL ?? null,
        dataDir: env.DATA_DIR ?? null,
      });
      try {
        const room = await findRoom(store.db, "x");
        const author = await findUserByName(store.db, alice);
        assert.ok(room && author);
        const sent = await sendMessage(store.db, {
          roomId: room.id,
          authorId: author.id,
          body: "sent during the outage",
          clientId: null,
        });
        assert.ok(sent, "the message was not stored");
      } finally {
        await store.close();
      }

      server = await startServer(env);
      assert.equal(server.base, base);
      // The WebSocket reconnects with backoff (up to several seconds), hence the longer wait.
      await Promise.all([waitLive(a, 30_000), waitLive(b, 30_000)]);
      await assertBothShow(a, b, ["before the restart", "sent during the outage"]);
      await Promise.all([waitStatus(a, "online"), waitStatus(b, "online")]);
      assert.deepEqual([await windowMarker(a), await windowMarker(b)], marks, "a page reloaded");

      // And the pages stay live after the restart.
      await sendWithEnter(b, "after the restart");
      await assertBothShow(a, b, [
        "before the restart",
        "sent during the outage",
        "after the restart",
      ]);
      assert.deepEqual(await messageBodies(a), [
        "before the restart",
        "sent during the outage",
        "after the restart",
      ]);
    } finally {
      await browser.close();
      await server?.stop();
      await database.drop();
    }
  },
});
