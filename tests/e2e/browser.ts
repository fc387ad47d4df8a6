// Browser-test steps (the lobby, rooms, waiting on the page) on top of the fixtures: a browser
// (tests/fixtures/browser.ts) and servers on real ports (tests/fixtures/server.ts).
import type { BrowserContextOptions, Page } from "playwright-core";
import { WAIT } from "../fixtures/browser.ts";

export { CHROMIUM, openBrowser, WAIT } from "../fixtures/browser.ts";
export { freePort, liveServer as testServer } from "../fixtures/server.ts";
export { serverDatabase as testDatabase } from "../fixtures/store.ts";

// The few page globals the in-page functions below use (they run in Chromium, not Deno).
interface PageElement {
  textContent: string | null;
  [key: string]: unknown;
}
declare const document: {
  getElementById(id: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
};

/** A username unique to this run. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().slice(0, 8)}`;
}

/** Signs up through the lobby form; ends on the room index. */
export async function signUp(page: Page, base: string, username: string) {
  await page.goto(`${base}/`);
  const form = page.locator('form[action="/signup"]');
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill(`pw-${username}-long`);
  await Promise.all([
    page.waitForURL(`${base}/`, { waitUntil: "load" }),
    form.locator('button[type="submit"]').click(),
  ]);
  await page.locator("nav.user-menu").waitFor();
}

/** Joins as a guest with a nickname through the lobby form; ends on the room index. */
export async function joinAsGuest(page: Page, base: string, nickname: string) {
  await page.goto(`${base}/`);
  const form = page.locator('form[action="/guest"]');
  await form.locator('input[name="nickname"]').fill(nickname);
  await Promise.all([
    page.waitForURL(`${base}/`, { waitUntil: "load" }),
    form.locator('button[type="submit"]').click(),
  ]);
  await page.locator("nav.user-menu").waitFor();
}

/** Creates (or goes to) a room with the room index form; ends on the room page. */
export async function createRoom(page: Page, base: string, name: string) {
  const form = page.locator("main.index form.new-room");
  await form.locator('input[name="name"]').fill(name);
  await Promise.all([
    page.waitForURL(new RegExp(`^${base}/rooms/[^/?]+$`), { waitUntil: "load" }),
    form.locator('button[type="submit"]').click(),
  ]);
}

/** Marks the window so a later check can prove the page never reloaded or navigated. */
export async function markWindow(page: Page): Promise<string> {
  const marker = crypto.randomUUID();
  await page.evaluate((m) => {
    (globalThis as unknown as { __e2eMarker: string }).__e2eMarker = m;
  }, marker);
  return marker;
}

/** The marker set by `markWindow`, or null when the page has been replaced since. */
export async function windowMarker(page: Page): Promise<string | null> {
  return await page.evaluate(() =>
    (globalThis as unknown as { __e2eMarker?: string }).__e2eMarker ?? null
  );
}

/** Waits until the live connection is open: htmx's ws/sse extension has connected. */
export async function waitLive(page: Page, timeout = WAIT) {
  await page.waitForFunction(
    () => {
      const live = document.getElementById("live");
      const data = live?.["htmx-internal-data"] as Record<string, unknown> | undefined;
      // The ws extension keeps a wrapper around the socket; the sse one keeps the EventSource.
      const ws = (data?.webSocket as { socket?: WebSocket } | undefined)?.socket;
      const sse = data?.sseEventSource as EventSource | undefined;
      return ws?.readyState === 1 || sse?.readyState === 1;
    },
    undefined,
    { timeout },
  );
}

/** Types a message into the composer and presses Enter. */
export async function sendWithEnter(page: Page, text: string) {
  const box = page.locator("#composer textarea[name=body]");
  await box.fill(text);
  await box.press("Enter");
}

/** Texts of the stored messages' bodies on the page, in order (not pending copies). */
export async function messageBodies(page: Page): Promise<string[]> {
  return await page.locator("#messages article:not(.pending) .body").allTextContents().then((
    texts,
  ) => texts.map((t) => t.trim()));
}

/** Waits until every text is shown in a message body exactly once; says what it saw if not. */
export async function waitForMessages(page: Page, texts: string[], timeout = WAIT) {
  try {
    await page.waitForFunction(
      (wanted) => {
        const bodies = [...document.querySelectorAll("#messages article:not(.pending) .body")].map((
          el,
        ) => (el.textContent ?? "").trim());
        return wanted.every((t) => bodies.filter((b) => b === t).length === 1);
      },
      texts,
      { timeout },
    );
  } catch (error) {
    const shown = await messageBodies(page).catch(() => "(page gone)");
    throw new Error(
      `${page.url()} should show each of ${JSON.stringify(texts)} once; it shows ${
        JSON.stringify(shown)
      }`,
      { cause: error },
    );
  }
}

/** Waits until the status line reads offline (non-empty) or online (empty or hidden). */
export async function waitStatus(page: Page, state: "offline" | "online", timeout = WAIT) {
  await page.waitForFunction(
    (offline) => {
      const text = (document.getElementById("status")?.textContent ?? "").trim();
      return offline ? text !== "" : text === "";
    },
    state === "offline",
    { timeout },
  );
}

/**
 * Two people live in one room: `a` signs up and creates it, `b` joins as a guest on the
 * transport asked for (WebSocket by default). Returns both pages and their names.
 */
export async function twoInRoom(
  browser: { page(options?: BrowserContextOptions): Promise<Page> },
  base: string,
  options: { room?: string; transport?: "ws" | "sse" } = {},
) {
  const room = options.room ?? "x";
  const [aName, bName] = [uniqueName("ana"), uniqueName("bea")];
  const a = await browser.page();
  await signUp(a, base, aName);
  await createRoom(a, base, room);
  const b = await browser.page();
  await joinAsGuest(b, base, bName);
  await b.goto(
    `${base}/rooms/${room}${options.transport ? `?transport=${options.transport}` : ""}`,
  );
  await Promise.all([waitLive(a), waitLive(b)]);
  return { a, b, aName, bName };
}
