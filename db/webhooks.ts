// Incoming webhooks: `POST /hooks/<id>.<secret>` posts to one room as one bot (routes/hooks.ts).
// Made and revoked by an admin; only the secret's hash is kept (db/tokens.ts). Making one adds
// the bot to the room; every post still passes the read rule and posting rules as the bot.
import type { Kysely } from "kysely";
import { type AdminOutcome, recordAudit, refusedWith } from "./audit.ts";
import { findBot } from "./bots.ts";
import { findRoom, joinRoom } from "./rooms.ts";
import type { Database, Room, User } from "./schema.ts";
import { mintToken, secretMatches, tokenId } from "./tokens.ts";

/** An incoming webhook as the admin page lists it (never its secret). */
export interface HookRow {
  id: string;
  room_slug: string;
  bot_name: string;
  created_at: Date;
  revoked_at: Date | null;
}

/** Makes a webhook posting to `roomSlug` as the bot; returns its token, shown once. */
export async function createRoomHook(
  db: Kysely<Database>,
  input: { actor: User; roomSlug: string; botId: string },
): Promise<{ ok: true; token: string } | AdminOutcome> {
  return await db.transaction().execute(async (trx) => {
    const room = await findRoom(trx, input.roomSlug);
    if (!room || room.kind === "direct") return refusedWith(404, "There is no such room");
    const bot = await findBot(trx, input.botId);
    if (!bot) return refusedWith(404, "There is no such bot");
    const { id, token, secretHash } = mintToken();
    await trx.insertInto("room_hooks").values({
      id,
      room_id: room.id,
      bot_id: bot.id,
      secret_hash: secretHash,
      created_by: input.actor.id,
    }).execute();
    await joinRoom(trx, room.id, bot.id);
    const detail = `#${room.slug} as ${bot.username}`;
    await recordAudit(trx, { actor: input.actor, action: "hook.create", target: id, detail });
    return { ok: true, token };
  });
}

/** Every incoming webhook, newest first. */
export async function listRoomHooks(db: Kysely<Database>): Promise<HookRow[]> {
  return await db.selectFrom("room_hooks as h")
    .innerJoin("rooms as r", "r.id", "h.room_id").innerJoin("users as u", "u.id", "h.bot_id")
    .select(["h.id", "r.slug as room_slug", "u.username as bot_name", "h.created_at"])
    .select("h.revoked_at").orderBy("h.id", "desc").limit(200).execute();
}

/** Revokes an incoming webhook: its URL stops working at once. */
export async function revokeRoomHook(
  db: Kysely<Database>,
  input: { actor: User; id: string },
): Promise<AdminOutcome> {
  return await db.transaction().execute(async (trx) => {
    const done = await trx.updateTable("room_hooks").set({ revoked_at: new Date() })
      .where("id", "=", input.id).where("revoked_at", "is", null).executeTakeFirst();
    if (!done.numUpdatedRows) return refusedWith(404, "There is no such working webhook");
    await recordAudit(trx, { actor: input.actor, action: "hook.revoke", target: input.id });
    return { ok: true };
  });
}

/** Where a webhook token posts: its id, room and active bot; null when it does not work. */
export async function hookTarget(
  db: Kysely<Database>,
  token: string,
): Promise<{ id: string; room: Room; bot: User } | null> {
  const id = tokenId(token);
  if (!id) return null;
  const hook = await db.selectFrom("room_hooks").selectAll().where("id", "=", id)
    .where("revoked_at", "is", null).executeTakeFirst();
  if (!hook || !secretMatches(token, hook.secret_hash)) return null;
  const bot = await findBot(db, hook.bot_id);
  const room = await db.selectFrom("rooms").selectAll().where("id", "=", hook.room_id)
    .executeTakeFirst();
  if (!bot || bot.deactivated_at || !room) return null;
  return { id, room, bot: { ...bot, password_hash: null } };
}
