import { createMiddleware } from "hono/factory";
import type { Config } from "../config.ts";
import type { Env } from "./env.ts";
import { type Cidr, formatIp, inCidr, parseIp } from "./ip.ts";

/** Throttles key on this when the peer address is unknown (in-process requests). */
const UNKNOWN = "unknown";

function trusted(bytes: Uint8Array | null, proxies: Cidr[]): boolean {
  return bytes !== null && proxies.some((cidr) => inCidr(bytes, cidr));
}

/** An X-Forwarded-For entry without a port (`1.2.3.4:80`, `[::1]:80`). */
function entryAddress(entry: string): Uint8Array | null {
  const text = entry.trim();
  const bracketed = text.match(/^\[([^\]]+)\](:\d+)?$/);
  if (bracketed) return parseIp(bracketed[1]);
  const v4 = text.match(/^(\d+\.\d+\.\d+\.\d+):\d+$/);
  return parseIp(v4 ? v4[1] : text);
}

/**
 * Who sent the request: the socket peer, unless the peer is a trusted proxy; then the
 * rightmost X-Forwarded-For entry that is not a trusted proxy (entries further left can be
 * written by anyone). A malformed entry stops the walk at the last hop known good.
 */
export function clientAddress(
  peer: string | undefined,
  forwarded: string | null,
  proxies: Cidr[],
): string {
  let client = peer ? parseIp(peer) : null;
  if (!client) return UNKNOWN;
  const hops = (forwarded ?? "").split(",").filter((e) => e.trim()).reverse();
  for (const hop of hops) {
    if (!trusted(client, proxies)) break;
    const next = entryAddress(hop);
    if (!next) break;
    client = next;
  }
  return formatIp(client);
}

/** Resolves the client address once per request (c.var.clientAddress); every throttle uses it. */
export function resolveClientAddress(config: Config) {
  return createMiddleware<Env>(async (c, next) => {
    const forwarded = c.req.header("x-forwarded-for") ?? null;
    c.set("clientAddress", clientAddress(c.env?.remoteAddr, forwarded, config.trustedProxies));
    await next();
  });
}
