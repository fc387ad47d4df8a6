import { type Context, Hono } from "hono";
import { createApiToken, listApiTokens, revokeApiToken } from "../db/api_tokens.ts";
import { createBot, findBot, listBots, setWebhookUrl } from "../db/bots.ts";
import { recentDeliveries } from "../db/webhook_deliveries.ts";
import { createRoomHook, listRoomHooks, revokeRoomHook } from "../db/webhooks.ts";
import { AdminBots, type BotsPageData, type ShownSecrets } from "../views/admin_bots.tsx";
import { afterAction, field, requireAdmin } from "./admin_guard.ts";
import type { AuthedEnv, Deps } from "./env.ts";
import { publicOrigin } from "./public_origin.ts";

/**
 * `/admin/bots`: make bots (their first token and signing secret shown once), give them more
 * tokens or revoke them, set their outgoing webhook URL, make and revoke incoming webhooks, and
 * see recent outgoing deliveries with their last error.
 */
export function adminBotRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireAdmin());

  const data = async (): Promise<BotsPageData> => {
    const bots = await listBots(deps.db);
    const withTokens = await Promise.all(
      bots.map(async (bot) => ({ ...bot, tokens: await listApiTokens(deps.db, bot.id) })),
    );
    const [hooks, deliveries] = [await listRoomHooks(deps.db), await recentDeliveries(deps.db)];
    return { bots: withTokens, hooks, deliveries };
  };
  const page = (c: Context<AuthedEnv>, shown?: ShownSecrets) => async (error?: string) => {
    c.header("cache-control", "no-store");
    return <AdminBots user={c.get("user")} data={await data()} shown={shown} error={error} />;
  };

  app.get("/", async (c) => c.html(await page(c)()));

  app.post("/", async (c) => {
    const form = await c.req.parseBody();
    const made = await createBot(deps.db, {
      actor: c.get("user"),
      username: field(form, "username"),
      webhookUrl: field(form, "webhook_url"),
    });
    if (!made.ok) return c.html(await page(c)(made.reason), made.status);
    const shown = { token: made.token, signingSecret: made.signingSecret };
    return c.html(await page(c, shown)(), 201);
  });

  app.post("/hooks", async (c) => {
    const form = await c.req.parseBody();
    const input = {
      actor: c.get("user"),
      roomSlug: field(form, "room"),
      botId: field(form, "bot"),
    };
    const made = await createRoomHook(deps.db, input);
    if (!made.ok) return await afterAction(c, made, "/admin/bots", page(c));
    const hookUrl = `${publicOrigin(deps, c)}/hooks/${(made as { token: string }).token}`;
    return c.html(await page(c, { hookUrl })(), 201);
  });

  app.post("/hooks/:id/revoke", async (c) => {
    const outcome = await revokeRoomHook(deps.db, { actor: c.get("user"), id: c.req.param("id") });
    return await afterAction(c, outcome, "/admin/bots", page(c));
  });

  app.post("/:id/url", async (c) => {
    const url = field(await c.req.parseBody(), "webhook_url");
    const outcome = await setWebhookUrl(deps.db, {
      actor: c.get("user"),
      botId: c.req.param("id"),
      url,
    });
    if (outcome.ok && outcome.signingSecret) {
      return c.html(await page(c, { signingSecret: outcome.signingSecret })(), 201);
    }
    return await afterAction(c, outcome, "/admin/bots", page(c));
  });

  app.post("/:id/tokens", async (c) => {
    const bot = await findBot(deps.db, c.req.param("id"));
    if (!bot) return c.html(await page(c)("There is no such bot"), 404);
    const token = await createApiToken(deps.db, { userId: bot.id, name: "admin-made token" });
    return c.html(await page(c, { token })(), 201);
  });

  app.post("/:id/tokens/:token/revoke", async (c) => {
    const input = { userId: c.req.param("id"), tokenId: c.req.param("token") };
    if (!await findBot(deps.db, input.userId) || !await revokeApiToken(deps.db, input)) {
      return c.html(await page(c)("There is no such working token"), 404);
    }
    return c.redirect("/admin/bots", 303);
  });

  return app;
}
