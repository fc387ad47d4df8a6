// Browser-test wiring: headless Chromium through playwright-core, servers on real ports (a
// fresh database on TEST_DATABASE_URL when set, else embedded), and the lobby steps.
import { type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { freshDatabase, SERVER_URL, startServer } from "../support.ts";

/** Where the system Chromium lives (`apt-get install -y chromium`). */
export const CHROMIUM = "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

// The few page globals the in-page functions below use (they run in Chromium, not Deno).
interface PageElement {
  textContent: string | null;
  [key: string]: unknown;
}
declare const document: {
  getElementById(id: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
};

/** Generous wait for anything that crosses the network or a reconnect. */
export const WAIT = 15_000;

// Reports every Content-Security-Policy violation in the page to the test (see openBrowser).
const REPORT_VIOLATIONS = `document.addEventListener("securitypolicyviolation", (e) => {
  globalThis.__cspViolation(e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
    " at " + e.sourceFile + ":" + e.lineNumber + " (" + e.sample + ")");
});`;

/**
 * Launches Chromium; `page()` opens a page in a new context (its own cookies). Every page
 * records Content-Security-Policy violations, and `close()` fails the test if there was any.
 */
export async function openBrowser() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const violations: string[] = [];
  return {
    browser,
    violations,
    async page(options: BrowserContextOptions = {}): Promise<Page> {
      const context = await browser.newContext(options);
      context.setDefaultTimeout(WAIT);
      await context.exposeBinding("__cspViolation", (source, text: string) => {
        violations.push(`${source.page?.url()}: ${text}`);
      });
      await context.addInitScript(REPORT_VIOLATIONS);
      return await context.newPage();
    },
    async close() {
      await browser.close();
      if (violations.length) {
        throw new Error(`Content-Security-Policy violations:\n${violations.join("\n")}`);
      }
    },
  };
}

/** A database for a test server: a fresh one on the test Postgres, else embedded. */
export async function testDatabase(
  options: { persistent?: boolean } = {},
): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (SERVER_URL) {
    const fresh = await freshDatabase(SERVER_URL);
    return { env: { DATABASE_URL: fresh.url }, drop: fresh.drop };
  }
  if (!options.persistent) return { env: { DATA_DIR: ":memory:" }, drop: () => Promise.resolve() };
  const dir = await Deno.makeTempDir({ prefix: "chat_e2e_" });
  return {
    env: { DATA_DIR: dir },
    drop: () => Deno.remove(dir, { recursive: true }),
  };
}

/** A server on its own database; `stop()` stops it and drops the database. */
export async function testServer() {
  const database = await testDatabase();
  try {
    const server = await startServer(database.env);
    return {
      ...server,
      async stop() {
        try {
          await server.stop();
        } finally {
          await database.drop();
        }
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** A TCP port that was free a moment ago (for a server that must come back on the same one). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

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
