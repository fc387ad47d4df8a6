import { type Context, Hono } from "hono";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import { type Asset, ASSETS, hashedName } from "../views/assets.ts";

type Coding = "br" | "gzip" | "identity";

/** One file's bodies, each compressed once at start, and how long its URL may be cached. */
type Served = { asset: Asset; bodies: Map<Coding, Uint8Array<ArrayBuffer>>; immutable: boolean };

// A hashed URL (views/assets.ts staticUrl) never changes content, so it is cached a year; the
// plain one (`/static/app.css`, older pages, bookmarks) is revalidated by ETag every time.
const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "no-cache";

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

async function encodings(body: Uint8Array<ArrayBuffer>) {
  const br = await brotliAsync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
  const gz = await gzipAsync(body, { level: constants.Z_BEST_COMPRESSION });
  const bodies = new Map<Coding, Uint8Array<ArrayBuffer>>([["identity", body]]);
  // A coding that does not shrink the file (a tiny icon) is not offered.
  if (br.length < body.length) bodies.set("br", new Uint8Array(br));
  if (gz.length < body.length) bodies.set("gzip", new Uint8Array(gz));
  return bodies;
}

async function servedFiles() {
  const served = new Map<string, Served>();
  for (const [name, asset] of ASSETS) {
    const bodies = await encodings(asset.body);
    served.set(name, { asset, bodies, immutable: false });
    served.set(hashedName(name, asset.hash), { asset, bodies, immutable: true });
  }
  return served;
}

// Compressed once per process, not per app, off the main thread: brotli at its best quality
// takes a moment, and it runs while the rest of the app starts.
const SERVED = servedFiles();

/** What the request accepts: br first, then gzip, else the file as it is. */
export function chooseCoding(acceptEncoding: string | undefined, offered: Set<Coding>): Coding {
  const q = new Map<string, number>();
  for (const part of (acceptEncoding ?? "").toLowerCase().split(",")) {
    const [coding, ...params] = part.split(";").map((s) => s.trim());
    const weight = params.find((p) => p.startsWith("q="));
    if (coding) q.set(coding, weight ? Number(weight.slice(2)) : 1);
  }
  const accepts = (coding: Coding) => offered.has(coding) && (q.get(coding) ?? q.get("*") ?? 0) > 0;
  return accepts("br") ? "br" : accepts("gzip") ? "gzip" : "identity";
}

// Strong ETags, one per coding: each coding is its own byte sequence, and a strong validator
// promises identical bytes, so `"<hash>-br"` and `"<hash>-gzip"` differ from `"<hash>"`. The
// hash is of the uncompressed file, so it is the same on every instance and after a restart.
function etagFor(hash: string, coding: Coding) {
  return coding === "identity" ? `"${hash}"` : `"${hash}-${coding}"`;
}

// If-None-Match compares weakly (RFC 9110 13.1.2): a W/ prefix does not stop a match.
function matches(ifNoneMatch: string | undefined, etag: string) {
  if (!ifNoneMatch) return false;
  const tags = ifNoneMatch.split(",").map((tag) => tag.trim().replace(/^W\//, ""));
  return tags.includes("*") || tags.includes(etag);
}

function lookup(served: Map<string, Served>, name: string): Served | undefined {
  const found = served.get(name);
  if (found) return found;
  // A page rendered before a deploy asks for the previous hash: send today's file, revalidated.
  const plain = name.replace(/\.[0-9a-f]{16}(\.[^.]+)$/, "$1");
  const current = plain !== name ? served.get(plain) : undefined;
  return current && { ...current, immutable: false };
}

/**
 * Serves the stylesheet, scripts and icon from memory, compressed once at start, by plain or
 * content-hashed name; `/favicon.ico` points browsers that ask for it at the SVG icon.
 */
export async function staticRoutes() {
  const files = await SERVED;
  return new Hono()
    .get("/favicon.ico", (c) => c.redirect("/favicon.svg", 301))
    .get("/favicon.svg", (c) => send(c, lookup(files, "favicon.svg")))
    .get("/static/:name", (c) => send(c, lookup(files, c.req.param("name"))));
}

function send(c: Context, served: Served | undefined) {
  if (!served) return c.text("Not found", 404);
  const coding = chooseCoding(c.req.header("accept-encoding"), new Set(served.bodies.keys()));
  const etag = etagFor(served.asset.hash, coding);
  c.header("vary", "Accept-Encoding");
  c.header("etag", etag);
  c.header("cache-control", served.immutable ? IMMUTABLE : REVALIDATE);
  if (matches(c.req.header("if-none-match"), etag)) return c.body(null, 304);
  if (coding !== "identity") c.header("content-encoding", coding);
  c.header("content-type", `${served.asset.type}; charset=utf-8`);
  return c.body(served.bodies.get(coding)!);
}
