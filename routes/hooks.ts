// `POST /hooks/<id>.<secret>`: an incoming webhook posts `{"text": "…"}` to its room as its bot.
// The secret in the URL is the credential: no cookie, no Origin (mounted before checkOrigin in
// routes/app.ts); the body is bounded by limitBodies, and each hook (and its bot) is rate limited.
import { Hono } from "hono";
import { hookTarget } from "../db/webhooks.ts";
import { RateLimiter } from "../live/rate.ts";
import type { Deps } from "./env.ts";
import { submitMessage } from "./submit.ts";

const NO_HOOK = "No such webhook: the URL is wrong or was revoked";

/** The incoming webhooks, mounted at /hooks. */
export function hookRoutes(deps: Deps) {
  const app = new Hono();
  const limiter = new RateLimiter(deps.config.sendRate, deps.config.sendRate * 2);
  app.post("/:token", async (c) => {
    const target = await hookTarget(deps.db, c.req.param("token"));
    if (!target) return c.json({ error: NO_HOOK }, 404);
    if (!limiter.take(target.id)) {
      return c.json({ error: "Slow down: this webhook is posting too fast" }, 429);
    }
    const input = await c.req.json().catch(() => null) as Record<string, unknown> | null;
    const text = input && typeof input === "object" ? input.text ?? input.body : undefined;
    if (typeof text !== "string") {
      return c.json({ error: 'Send a JSON object with the message as "text"' }, 400);
    }
    const sent = await submitMessage(deps, {
      user: target.bot,
      room: target.room,
      body: text,
      clientId: null,
    });
    if (!sent.ok) return c.json({ error: sent.error }, sent.status);
    return c.json({ id: sent.message.id, version: sent.message.version }, 201);
  });
  return app;
}
