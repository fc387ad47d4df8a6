// The static files the app serves, read and hashed once when this module loads, so views can
// link them by content-hashed URL without importing any route. routes/static.ts serves them;
// a new file goes in SOURCES here and nowhere else.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** One static file in memory, with the hash its long-cached URL carries. */
export type Asset = { path: string; type: string; body: Uint8Array<ArrayBuffer>; hash: string };

// htmx comes from its npm package and is served by the app itself: never a CDN.
const SOURCES: Record<string, { path: string; type: string }> = {
  "htmx.min.js": { path: require.resolve("htmx.org/dist/htmx.min.js"), type: "text/javascript" },
  "ws.js": { path: require.resolve("htmx-ext-ws/dist/ws.min.js"), type: "text/javascript" },
  "sse.js": { path: require.resolve("htmx-ext-sse/dist/sse.min.js"), type: "text/javascript" },
  "chat.js": { path: local("chat.js"), type: "text/javascript" },
  "app.css": { path: local("app.css"), type: "text/css" },
  "nojs.css": { path: local("nojs.css"), type: "text/css" },
  "favicon.svg": { path: local("favicon.svg"), type: "image/svg+xml" },
};

function local(name: string) {
  return new URL(`../static/${name}`, import.meta.url).pathname;
}

/** The first 16 hex digits of the bytes' SHA-256: new content, new URL and ETag. */
export async function contentHash(body: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  return Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** `app.css` → `app.<hash>.css`: the extension stays last, so the name still says the type. */
export function hashedName(name: string, hash: string): string {
  const dot = name.lastIndexOf(".");
  return `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
}

async function loadAssets() {
  const assets = new Map<string, Asset>();
  for (const [name, source] of Object.entries(SOURCES)) {
    const body = await Deno.readFile(source.path);
    assets.set(name, { ...source, body, hash: await contentHash(body) });
  }
  return assets;
}

/** Every static file by its plain name, read once at start (the dev watcher restarts on change). */
export const ASSETS: ReadonlyMap<string, Asset> = await loadAssets();

/** The URL a page links a static file by; it changes with the content, so it is cached a year. */
export function staticUrl(name: string): string {
  const asset = ASSETS.get(name);
  if (!asset) throw new Error(`No static file is named ${name}`);
  return `/static/${hashedName(name, asset.hash)}`;
}
