// One log line per request, and the OpenTelemetry span named by its route.
import { trace } from "@opentelemetry/api";
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes, routePath } from "hono/route";
import { log } from "../log.ts";
import type { Env } from "./env.ts";

/** Polled by load balancers and scrapers every few seconds: logged at debug only. */
const QUIET = new Set(["/healthz", "/metrics"]);

/**
 * The pattern of the last route that matched with a method of its own (the handler's, even
 * when a middleware answered first, such as a room's 404), else the answering middleware's.
 */
function routeOf(c: Context<Env>): string {
  const handler = matchedRoutes(c).findLast((route) => route.method !== "ALL");
  return handler?.path ?? (routePath(c) || "(none)");
}

/**
 * Logs method, route pattern, status, duration, user and client address once the answer is
 * ready, and names the request's span by its route: Deno's built-in OpenTelemetry (OTEL_DENO)
 * names HTTP spans by method alone. Mounted first in routes/app.ts so it sees every answer.
 */
export function requestLog(): MiddlewareHandler<Env> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const route = routeOf(c);
    const span = trace.getActiveSpan();
    if (span && route !== "(none)") {
      span.updateName(`${c.req.method} ${route}`);
      span.setAttribute("http.route", route);
    }
    const fields = {
      method: c.req.method,
      route,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      user: c.get("user")?.id,
      addr: c.get("clientAddress") ?? c.env?.remoteAddr,
    };
    if (QUIET.has(c.req.path)) log.debug("request", fields);
    else log.info("request", fields);
  };
}
