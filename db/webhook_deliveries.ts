// Outgoing webhook deliveries: a row per mention of a bot with a URL, written in the send's
// transaction (db/mentions.ts), claimed by any instance's worker (live/webhook_worker.ts) with
// `for update skip locked`, and kept with its last status so admins can see failures.
import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.ts";

/** A claimed delivery with what its POST needs. */
export interface DueDelivery {
  message_id: string;
  bot_id: string;
  attempts: number;
  bot_name: string;
  webhook_url: string | null;
  signing_secret: string;
  room_slug: string;
  author: string;
  body: string;
  version: number;
  created_at: Date;
  deleted_at: Date | null;
}

/** A delivery as the admin page lists it. */
export interface DeliveryRow {
  message_id: string;
  bot_name: string;
  room_slug: string;
  status: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  updated_at: Date;
}

/**
 * Claims up to `limit` due deliveries: each gets its attempt counted and is leased for
 * `leaseSeconds` (an instance that dies mid-POST leaves it to be retried then).
 */
export async function claimDue(
  db: Kysely<Database>,
  options: { limit: number; leaseSeconds: number },
): Promise<DueDelivery[]> {
  const result = await sql<DueDelivery>`
    with due as (
      select message_id, bot_id from webhook_deliveries
      where status = 'pending' and next_attempt_at <= now()
      order by next_attempt_at limit ${options.limit}
      for update skip locked
    ), claimed as (
      update webhook_deliveries d set attempts = d.attempts + 1, updated_at = now(),
        next_attempt_at = now() + make_interval(secs => ${options.leaseSeconds})
      from due where d.message_id = due.message_id and d.bot_id = due.bot_id
      returning d.message_id, d.bot_id, d.attempts
    )
    select c.*, u.username as bot_name, b.webhook_url, b.signing_secret, r.slug as room_slug,
      a.username as author, m.body, m.version, m.created_at, m.deleted_at
    from claimed c
    join bots b on b.user_id = c.bot_id join users u on u.id = c.bot_id
    join messages m on m.id = c.message_id join rooms r on r.id = m.room_id
    join users a on a.id = m.author_id`.execute(db);
  return result.rows;
}

/** Records one attempt's end: delivered, retried at `retryAt`, or failed for good (null). */
export async function recordAttempt(
  db: Kysely<Database>,
  delivery: { message_id: string; bot_id: string },
  outcome: { ok: boolean; status: number | null; error: string | null; retryAt: Date | null },
): Promise<void> {
  const status = outcome.ok ? "delivered" : outcome.retryAt ? "pending" : "failed";
  await db.updateTable("webhook_deliveries").set({
    status,
    last_status: outcome.status,
    last_error: outcome.error?.slice(0, 500) ?? null,
    next_attempt_at: outcome.retryAt ?? new Date(),
    updated_at: new Date(),
  }).where("message_id", "=", delivery.message_id).where("bot_id", "=", delivery.bot_id)
    .execute();
}

/** The most recent deliveries, newest first (the admin bots page). */
export async function recentDeliveries(db: Kysely<Database>, limit = 50): Promise<DeliveryRow[]> {
  return await db.selectFrom("webhook_deliveries as d")
    .innerJoin("users as u", "u.id", "d.bot_id")
    .innerJoin("messages as m", "m.id", "d.message_id").innerJoin("rooms as r", "r.id", "m.room_id")
    .select(["d.message_id", "u.username as bot_name", "r.slug as room_slug", "d.status"])
    .select(["d.attempts", "d.last_status", "d.last_error", "d.updated_at"])
    .orderBy("d.created_at", "desc").orderBy("d.message_id", "desc").limit(limit).execute();
}
