import type { Context, Next } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { Kysely } from "kysely";
import type { Config } from "../config.ts";
import type { Database } from "../db/schema.ts";
import { tokenSession, tokenUser } from "../db/api_tokens.ts";
import { tokenId } from "../db/tokens.ts";
import { sessionHash, usersForSessions } from "../db/sessions.ts";
import { Batched } from "../live/batched.ts";
import type { AuthedEnv, Env } from "./env.ts";

export { resolveClientAddress } from "./client_address.ts";

/** Name of the session cookie over plain HTTP. */
export const SESSION_COOKIE = "sid";
/** Its name when Secure: the browser then refuses it unless Secure, Path=/ and host-only. */
export const SECURE_SESSION_COOKIE = "__Host-sid";

/**
 * How the session cookie is set and read: Secure (and `__Host-` prefixed) when the public
 * origin is https (the first ORIGIN), else when this request's own URL is; never from the
 * Host header. Behind a TLS-terminating proxy the server sees http, so ORIGIN must be set.
 */
export function sessionCookie(config: Config, req: Request): { name: string; secure: boolean } {
  const secure = config.secureCookies ?? new URL(req.url).protocol === "https:";
  return { name: secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, secure };
}

/**
 * Loads the user behind the session cookie, or behind an API token when a request carries one
 * and no session cookie (bearerOnly); identity never comes from anything else. Lookups
 * that arrive while one is in flight share the next query (a restart brings every page back
 * at once).
 */
export function loadSession(db: Kysely<Database>, config: Config) {
  const users = new Batched((hashes: string[]) => usersForSessions(db, hashes), null);
  return createMiddleware<Env>(async (c, next) => {
    const bearer = bearerOnly(config, c.req.raw);
    if (bearer !== null) return await asTokenUser(db, bearer, c, next);
    const token = getCookie(c, sessionCookie(config, c.req.raw).name) ?? null;
    // Hashed once: the hash finds the user and names the session for live connections.
    const hash = token && token.length <= 100 ? await sessionHash(token) : null;
    const user = hash ? await users.get(hash) : null;
    c.set("token", token);
    c.set("session", user ? hash : null);
    c.set("user", user);
    await next();
  });
}

/**
 * The API token of a request that carries `Authorization: Bearer` and no session cookie (a
 * script's), or null. A cookie wins: a browser's request is judged by its session alone.
 */
export function bearerOnly(config: Config, req: Request): string | null {
  const match = /^Bearer +(\S{1,200})$/i.exec(req.headers.get("authorization") ?? "");
  if (!match) return null;
  const cookies = req.headers.get("cookie") ?? "";
  const name = sessionCookie(config, req).name;
  return cookies.split(/; */).some((pair) => pair.startsWith(`${name}=`)) ? null : match[1];
}

/** A bearer request's identity is its token's user; a token that does not work is a 401. */
async function asTokenUser(db: Kysely<Database>, bearer: string, c: Context, next: Next) {
  const user = await tokenUser(db, bearer);
  if (!user) return c.text("Invalid API token: it is malformed, wrong or revoked", 401);
  c.set("token", null);
  // Its live connections (a tail) close when it is revoked, as a session's do when it ends.
  c.set("session", tokenSession(tokenId(bearer)!));
  c.set("user", user);
  await next();
}

/** True when the Origin header names this site (or one listed in ORIGIN). */
export function originAllowed(config: Config, req: Request): boolean {
  const origin = req.headers.get("origin");
  if (!origin || !URL.canParse(origin)) return false;
  if (config.origins.length) return config.origins.includes(origin);
  return new URL(origin).host === (req.headers.get("host") ?? new URL(req.url).host);
}

/**
 * Refuses state-changing requests and WebSocket upgrades from foreign or missing origins.
 * Hono's csrf() skips GET, and an upgrade is a GET, so it is checked here too. A bearer
 * request without a session cookie needs no Origin (see bearerOnly).
 */
export function checkOrigin(config: Config) {
  return createMiddleware<Env>(async (c, next) => {
    const unsafe = !["GET", "HEAD", "OPTIONS"].includes(c.req.method);
    const upgrade = c.req.header("upgrade")?.toLowerCase() === "websocket";
    const foreign = c.req.header("origin") !== undefined && !originAllowed(config, c.req.raw);
    // A browser never attaches a bearer token by itself, so a script needs no Origin; the
    // token is checked by loadSession, next, before any handler runs.
    if (bearerOnly(config, c.req.raw) !== null && !foreign) return await next();
    if ((unsafe || upgrade) && !originAllowed(config, c.req.raw) || foreign) {
      return c.text("Forbidden: the request's Origin is not this site", 403);
    }
    await next();
  });
}

/** Narrows to a signed-in user: page loads go to the lobby, everything else gets 401. */
export function requireUser() {
  return createMiddleware<AuthedEnv>(async (c, next) => {
    if (c.get("user")) return await next();
    return signInFirst(c);
  });
}

/** The answer to a signed-out request (requireUser, and the room app's own check). */
export function signInFirst(c: Context): Response {
  const page = c.req.header("accept")?.includes("text/html") && !c.req.header("hx-request");
  if (c.req.method === "GET" && page) return c.redirect("/", 303);
  return c.text("Sign in first: no valid session", 401);
}
