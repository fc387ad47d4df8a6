// One live connection per page, in Chromium: ten tabs of one person stay live (WebSocket over
// HTTP/1.1, SSE over HTTP/2), messages sent during an outage are stored once each and in order,
// typing crosses transports, and a page whose person was deactivated goes quiet.
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { openBrowser } from "../fixtures/browser.ts";
import { freePort, liveServer, startServer } from "../fixtures/server.ts";
import { serverDatabase } from "../fixtures/store.ts";
import {
  createRoom,
  joinAsGuest,
  messageBodies,
  sendWithEnter,
  signUp,
  twoInRoom,
  uniqueName,
  waitForMessages,
  waitLive,
  waitStatus,
} from "./browser.ts";

const open = { sanitizeOps: false, sanitizeResources: false };

// Records every WebSocket and EventSource a page opens, before any page script runs.
const COUNT_CONNECTIONS = `(() => {
  const opened = [];
  globalThis.__opened = opened;
  const WS = globalThis.WebSocket;
  globalThis.WebSocket = class extends WS {
    constructor(url, protocols) { super(url, protocols); opened.push("ws " + url); }
  };
  const ES = globalThis.EventSource;
  globalThis.EventSource = class extends ES {
    constructor(url, init) { super(url, init); opened.push("sse " + url); }
  };
})();`;

/** The live connections a page has opened so far ("ws <url>" or "sse <url>"). */
async function openedBy(page: Page): Promise<string[]> {
  return await page.evaluate(() => (globalThis as unknown as { __opened: string[] }).__opened);
}

/** Waits until a page's one connection (room or feeds) is open. */
async function waitAnyLive(page: Page) {
  if (await page.locator("#live[ws-connect], #live[sse-connect]").count()) return waitLive(page);
  await page.waitForFunction(() => {
    const doc = (globalThis as unknown as { document: { getElementById(id: string): unknown } })
      .document;
    const el = doc.getElementById("feeds");
    const data = (el as unknown as Record<string, unknown> | null)?.["htmx-internal-data"] as
      | Record<string, unknown>
      | undefined;
    const ws = (data?.webSocket as { socket?: WebSocket } | undefined)?.socket;
    const sse = data?.sseEventSource as EventSource | undefined;
    return ws?.readyState === 1 || sse?.readyState === 1;
  });
}

/** A self-signed certificate for localhost, for a server that speaks HTTP/2 over TLS. */
async function localhostCertificate(dir: string) {
  const [certFile, keyFile] = [`${dir}/cert.pem`, `${dir}/key.pem`];
  const made = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.ok(made.success, new TextDecoder().decode(made.stderr));
  return { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile };
}

/**
 * Ten tabs of one person: eight room pages, the room index and the inbox. All load, each
 * holds exactly one live connection of the transport, and all get a message and a notice.
 */
async function tenTabs(
  browser: Awaited<ReturnType<typeof openBrowser>>,
  base: string,
  transport: "ws" | "sse",
  options: { ignoreHTTPSErrors?: boolean } = {},
) {
  const first = await browser.page(options);
  const context: BrowserContext = first.context();
  await context.addInitScript(COUNT_CONNECTIONS);
  const ana = uniqueName("ana");
  await signUp(first, base, ana);
  await createRoom(first, base, "x");
  await first.goto(`${base}/rooms/x?transport=${transport}`);
  const tabs = [first];
  for (let i = 1; i < 10; i++) tabs.push(await context.newPage());
  const paths = [...Array(7).fill("/rooms/x"), "/", "/inbox"];
  // Opened one after another: each must load while the earlier ones hold their connections.
  for (const [i, path] of paths.entries()) {
    await tabs[i + 1].goto(`${base}${path}`, { timeout: 10_000 });
  }
  for (const tab of tabs) await waitAnyLive(tab);
  for (const [i, tab] of tabs.entries()) {
    const opened = await openedBy(tab);
    assert.equal(opened.length, 1, `tab ${i} opened ${JSON.stringify(opened)}`);
    assert.ok(opened[0].startsWith(`${transport} `), `tab ${i} opened ${opened[0]}`);
  }

  const bo = await browser.page(options);
  await joinAsGuest(bo, base, uniqueName("bo"));
  await bo.goto(`${base}/rooms/x`);
  await waitLive(bo);
  await sendWithEnter(bo, "hello, ten tabs");
  for (const tab of tabs.slice(0, 8)) await waitForMessages(tab, ["hello, ten tabs"]);
  await sendWithEnter(bo, `/pm ${ana} a word for every tab`);
  for (const [i, tab] of tabs.entries()) {
    await tab.locator("#inbox-badge .badge", { hasText: "1" }).waitFor();
    const notice = tab.locator("#notices .notice.incoming", { hasText: "a word for every tab" });
    assert.equal(await notice.count(), 1, `tab ${i} shows the notice once`);
  }
  return tabs;
}

Deno.test({
  name: "ten tabs of one person on WebSocket all load, each with one connection, and stay live",
  ...open,
  async fn() {
    await using server = await liveServer();
    await using browser = await openBrowser();
    await tenTabs(browser, server.base, "ws");
  },
});

Deno.test({
  name: "ten tabs of one person on SSE (HTTP/2) all load, each with one stream, and stay live",
  ...open,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "chat_tls_" });
    await using _dir = { [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
    await using server = await liveServer(await localhostCertificate(dir));
    await using browser = await openBrowser();
    const base = `https://localhost:${server.port}`;
    const tabs = await tenTabs(browser, base, "sse", { ignoreHTTPSErrors: true });
    const protocol = await tabs[9].evaluate(() =>
      (performance.getEntriesByType("navigation")[0] as unknown as { nextHopProtocol: string })
        .nextHopProtocol
    );
    assert.equal(protocol, "h2", "the SSE tabs share one HTTP/2 connection");
  },
});

/** The texts of the pending (not yet stored) copies on a page, in order. */
async function pendingBodies(page: Page): Promise<string[]> {
  const texts = await page.locator("#messages article.pending .body").allTextContents();
  return texts.map((t) => t.trim());
}

/** How many "Welcome to #x" lines a page shows. */
async function welcomes(page: Page): Promise<number> {
  return await page.locator("#messages .notice", { hasText: "Welcome to #x" }).count();
}

Deno.test({
  name: "three messages sent while the server is down are shown pending, then stored once each " +
    "in order, and the page is live within 3 s of the server answering",
  ...open,
  async fn() {
    const database = await serverDatabase({ persistent: true });
    const env: Record<string, string> = { ...database.env, PORT: String(freePort()) };
    let server: Awaited<ReturnType<typeof startServer>> | null = await startServer(env);
    const base = server.base;
    const browser = await openBrowser();
    try {
      const a = await browser.page();
      await signUp(a, base, uniqueName("ana"));
      await createRoom(a, base, "x");
      const b = await browser.page();
      await joinAsGuest(b, base, uniqueName("bea"));
      await b.goto(`${base}/rooms/x?transport=sse`);
      await Promise.all([waitLive(a), waitLive(b)]);
      await sendWithEnter(a, "before the outage");
      await waitForMessages(b, ["before the outage"]);
      assert.deepEqual([await welcomes(a), await welcomes(b)], [1, 1]);

      await server.stop();
      server = null;
      await Promise.all([waitStatus(a, "offline"), waitStatus(b, "offline")]);
      const sent = ["one", "two", "three"].map((n) => `outage ${n}`);
      for (const text of sent) await sendWithEnter(a, text);
      await sendWithEnter(b, "outage from SSE");
      assert.deepEqual(await pendingBodies(a), sent);
      assert.deepEqual(await pendingBodies(b), ["outage from SSE"]);
      assert.equal(await a.locator("#composer textarea").inputValue(), "");

      server = await startServer(env);
      const answered = Date.now();
      // Still offline the moment the server answers: the pages have not caught up yet.
      assert.notEqual((await a.locator("#status").textContent())?.trim(), "");
      await Promise.all([waitStatus(a, "online", 3000), waitStatus(b, "online", 3000)]);
      const live = Date.now() - answered;
      assert.ok(live <= 3000, `live again after ${live} ms`);

      const all = ["before the outage", ...sent, "outage from SSE"];
      await Promise.all([waitForMessages(a, all), waitForMessages(b, all)]);
      await a.locator("#messages article.pending").waitFor({ state: "detached" });
      await b.locator("#messages article.pending").waitFor({ state: "detached" });
      // The server's own page: each stored once, the WebSocket page's three in their order.
      const fresh = await browser.page();
      await joinAsGuest(fresh, base, uniqueName("cy"));
      await fresh.goto(`${base}/rooms/x`);
      const stored = await messageBodies(fresh);
      assert.deepEqual(stored.filter((t) => sent.includes(t)), sent);
      for (const text of all) assert.equal(stored.filter((t) => t === text).length, 1, text);
      assert.deepEqual(await messageBodies(a), await messageBodies(b));
      // A reconnect is not a visit: nobody is welcomed twice.
      assert.deepEqual([await welcomes(a), await welcomes(b)], [1, 1]);
    } finally {
      await browser.close();
      await server?.stop();
      await database.drop();
    }
  },
});

Deno.test({
  name: "typing crosses transports both ways, and a burst right after a send is shown",
  ...open,
  async fn() {
    await using server = await liveServer();
    await using browser = await openBrowser();
    const { a, b, aName: ana, bName: bea } = await twoInRoom(browser, server.base, {
      transport: "sse",
    });
    const typing = (page: Page, name: string) =>
      page.locator("#typing", { hasText: `${name} is typing` }).waitFor();

    await a.locator("#composer textarea").fill("hel");
    await typing(b, ana);
    await b.locator("#composer textarea").fill("wai");
    await typing(a, bea);

    await a.locator("#composer textarea").press("Enter");
    await waitForMessages(b, ["hel"]);
    await b.locator("#typing span").waitFor({ state: "detached" });
    await a.locator("#composer textarea").fill("and more");
    await typing(b, ana);
  },
});

Deno.test({
  name: "a deactivated person's page says why and makes no more requests",
  ...open,
  async fn() {
    await using server = await liveServer();
    await using browser = await openBrowser();
    const admin = await browser.page();
    await signUp(admin, server.base, uniqueName("ada"));
    await createRoom(admin, server.base, "x");
    const mia = await browser.page();
    const miaName = uniqueName("mia");
    await signUp(mia, server.base, miaName);
    const lobby = await mia.context().newPage();
    await lobby.goto(`${server.base}/`);
    await mia.goto(`${server.base}/rooms/x`);
    await Promise.all([waitLive(mia), waitAnyLive(lobby)]);
    const requests: string[] = [];
    for (const page of [mia, lobby]) {
      page.on("request", (r) => requests.push(r.url()));
      page.on("websocket", (s) => requests.push(s.url()));
    }

    await admin.goto(`${server.base}/admin/users`);
    const row = admin.locator("tr", { hasText: `@${miaName}` });
    await Promise.all([
      admin.waitForNavigation(),
      row.locator('form[action$="/deactivate"] button').click(),
    ]);
    for (const page of [mia, lobby]) {
      await page.locator("#status", { hasText: "Your account was deactivated" }).waitFor();
    }
    const before = requests.length;
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    assert.deepEqual(requests.slice(before), [], "requests after the page was told");
  },
});

Deno.test({
  name: "a socket the server closes with a code htmx does not retry (1009) comes back by itself",
  ...open,
  async fn() {
    await using server = await liveServer();
    await using browser = await openBrowser();
    const { a, b } = await twoInRoom(browser, server.base);
    // A frame over the 16 KB limit: the server closes this socket with 1009.
    await a.evaluate(() => {
      const live = (globalThis as unknown as {
        document: { getElementById(id: string): Record<string, unknown> };
      }).document.getElementById("live");
      const data = live["htmx-internal-data"] as { webSocket: { socket: WebSocket } };
      data.webSocket.socket.send("x".repeat(20_000));
    });
    await waitStatus(a, "offline");
    await waitStatus(a, "online");
    await waitLive(a);
    await sendWithEnter(b, "after the refused frame");
    await waitForMessages(a, ["after the refused frame"]);
    assert.deepEqual(await pendingBodies(a), []);
  },
});
