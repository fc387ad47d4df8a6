// GET /metrics: this instance's counters in Prometheus text format (live/metrics.ts).
import { timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import type { MetricsAccess } from "../live/metrics_access.ts";
import type { Deps, Env } from "./env.ts";

const encoder = new TextEncoder();

/** SHA-256 of a string, so two values compare in constant time whatever their lengths. */
async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** True when the Authorization header carries the token (compared in constant time). */
async function authorized(header: string | undefined, access: MetricsAccess): Promise<boolean> {
  if (access.kind === "open") return true;
  if (access.kind !== "token") return false;
  const given = /^Bearer (.+)$/i.exec(header?.trim() ?? "")?.[1] ?? "";
  return timingSafeEqual(await digest(given), await digest(access.token));
}

/**
 * Off (404) unless METRICS_TOKEN is set (a bearer token is required) or METRICS=on (anyone
 * who can reach the server reads it: only behind a network that keeps strangers out).
 */
export function metricsRoutes(deps: Deps) {
  const app = new Hono<Env>();
  const access = deps.config.metrics;
  app.get("/metrics", async (c) => {
    if (access.kind === "off") return c.text("Not found", 404);
    if (!(await authorized(c.req.header("authorization"), access))) {
      c.header("WWW-Authenticate", 'Bearer realm="metrics"');
      return c.text("The metrics need Authorization: Bearer <METRICS_TOKEN>", 401);
    }
    c.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    c.header("Cache-Control", "no-store");
    return c.body(deps.metrics.render());
  });
  return app;
}
