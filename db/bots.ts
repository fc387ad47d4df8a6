// Bots: user rows that cannot log in (no password, `bot` set), made by an admin, acting only
// through API tokens (db/api_tokens.ts) and incoming webhooks (db/webhooks.ts). A bot may have
// an outgoing webhook URL: its mentions are POSTed there, signed (live/webhook_worker.ts).
import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { type AdminOutcome, recordAudit, refusedWith } from "./audit.ts";
import { createApiToken } from "./api_tokens.ts";
import type { Database, User } from "./schema.ts";
import { insertUser, isUniqueViolation, lockSignups, usernameProblem } from "./users.ts";

/** A bot as the admin page lists it. */
export interface BotRow {
  id: string;
  username: string;
  webhook_url: string | null;
  created_at: Date;
  deactivated_at: Date | null;
}

/** Why a webhook URL cannot be used (empty is fine: no outgoing webhook), or null. */
export function webhookUrlProblem(url: string): string | null {
  if (!url) return null;
  if (url.length > 2000) return "A webhook URL has at most 2000 characters";
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    return "A webhook URL must be an http:// or https:// address";
  }
  return null;
}

type Refused = Exclude<AdminOutcome, { ok: true }>;

/** What a new bot starts with: its first token and its signing secret, each shown once. */
export type NewBot = { ok: true; bot: User; token: string; signingSecret: string };

/** Creates a bot with a first token; refused when the name is bad or taken, or the URL bad. */
export async function createBot(
  db: Kysely<Database>,
  input: { actor: User; username: string; webhookUrl: string },
): Promise<NewBot | Refused> {
  const problem = usernameProblem(input.username) ?? webhookUrlProblem(input.webhookUrl);
  if (problem) return refusedWith(422, problem) as Refused;
  const signingSecret = randomBytes(32).toString("hex");
  try {
    const bot = await db.transaction().execute(async (trx) => {
      await lockSignups(trx);
      const user = await insertUser(trx, {
        username: input.username,
        passwordHash: null,
        role: "member",
      });
      await trx.updateTable("users").set({ bot: true }).where("id", "=", user.id).execute();
      await trx.insertInto("bots").values({
        user_id: user.id,
        webhook_url: input.webhookUrl || null,
        signing_secret: signingSecret,
        created_by: input.actor.id,
      }).execute();
      await recordAudit(trx, { actor: input.actor, action: "bot.create", target: user.username });
      return { ...user, bot: true };
    });
    const token = await createApiToken(db, { userId: bot.id, name: "first token" });
    return { ok: true, bot, token, signingSecret };
  } catch (error) {
    if (isUniqueViolation(error)) {
      return refusedWith(409, `The name ${input.username} is taken`) as Refused;
    }
    throw error;
  }
}

/** Every bot, newest first (an imported one has no bots row until its URL is saved). */
export async function listBots(db: Kysely<Database>): Promise<BotRow[]> {
  return await db.selectFrom("users as u").leftJoin("bots as b", "b.user_id", "u.id")
    .select(["u.id", "u.username", "b.webhook_url", "u.created_at", "u.deactivated_at"])
    .where("u.bot", "=", true).orderBy("u.id", "desc").execute();
}

/** A bot's user row, or null when the id names no bot. */
export async function findBot(db: Kysely<Database>, id: string): Promise<User | null> {
  return await db.selectFrom("users").selectAll().where("id", "=", id).where("bot", "=", true)
    .executeTakeFirst() ?? null;
}

/**
 * Sets (or, empty, removes) a bot's outgoing webhook URL. A bot without a bots row (imported:
 * secrets are never exported) gets one with a new signing secret, returned to be shown once.
 */
export async function setWebhookUrl(
  db: Kysely<Database>,
  input: { actor: User; botId: string; url: string },
): Promise<{ ok: true; signingSecret?: string } | Refused> {
  const problem = webhookUrlProblem(input.url);
  if (problem) return refusedWith(422, problem) as Refused;
  return await db.transaction().execute(async (trx) => {
    const bot = await findBot(trx, input.botId);
    if (!bot) return refusedWith(404, "There is no such bot") as Refused;
    const fresh = randomBytes(32).toString("hex");
    const row = await trx.insertInto("bots")
      .values({ user_id: bot.id, webhook_url: input.url || null, signing_secret: fresh })
      .onConflict((oc) => oc.column("user_id").doUpdateSet({ webhook_url: input.url || null }))
      .returning("signing_secret").executeTakeFirstOrThrow();
    // Not the URL itself: some carry their own secret, and the audit log is exported.
    const detail = input.url ? "set" : "removed";
    await recordAudit(trx, { actor: input.actor, action: "bot.url", target: bot.username, detail });
    return row.signing_secret === fresh ? { ok: true, signingSecret: fresh } : { ok: true };
  });
}
