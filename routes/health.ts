import { Hono } from "hono";
import { sql } from "kysely";
import type { Deps, Env } from "./env.ts";

/** `/healthz`: database and listener status for load balancers. */
export function healthRoutes(deps: Deps) {
  return new Hono<Env>().get("/healthz", async (c) => {
    const db = await sql`select 1`.execute(deps.db).then(() => "up", () => "down");
    const listener = deps.bus.isUp() ? "up" : "down";
    const ok = db === "up" && listener === "up";
    return c.json({ ok, db, listener, instance: deps.config.instanceId }, ok ? 200 : 503);
  });
}
