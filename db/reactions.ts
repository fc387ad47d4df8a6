import { type Kysely, sql } from "kysely";
import { notifyEvent } from "./events.ts";
import type { Database } from "./schema.ts";

/** The quick picks offered on every message. */
export const QUICK_EMOJI = ["👍", "❤️", "😂", "🎉", "👀"];
/** How many different emoji one message may collect. */
export const MAX_KINDS = 20;

/** One emoji on one message: how many reacted and who (display names, first first). */
export interface ReactionSummary {
  emoji: string;
  names: string[];
}

const EMOJI = new RegExp("^\\p{RGI_Emoji}$", "v");

/** The emoji as stored: a symbol typed without its emoji selector (❤ for ❤️) gets it added. */
export function normalEmoji(emoji: string): string {
  const trimmed = emoji.trim();
  if (trimmed.length > 32) return trimmed;
  return !EMOJI.test(trimmed) && EMOJI.test(`${trimmed}\uFE0F`) ? `${trimmed}\uFE0F` : trimmed;
}

/** Why a reaction is not a single emoji, or null. */
export function emojiProblem(emoji: string): string | null {
  if (!emoji) return "Pick an emoji to react with";
  if (emoji.length > 32 || !EMOJI.test(emoji)) return "A reaction must be one emoji";
  return null;
}

/**
 * A message's reactions as a column of the query that reads it (no second query): one entry
 * per emoji, in the order the emoji first appeared, each naming who reacted, first first.
 */
export const reactionsOf = sql<ReactionSummary[]>`(
  select coalesce(json_agg(json_build_object('emoji', kind.emoji, 'names', kind.names)
    order by kind.first_at, kind.first_by), '[]')
  from (
    select r.emoji, min(r.created_at) as first_at, min(r.user_id) as first_by,
      array_agg(u.display_name order by r.created_at, r.user_id) as names
    from reactions r join users u on u.id = r.user_id
    where r.message_id = messages.id
    group by r.emoji
  ) kind
)`.as("reactions");

/** What toggling did: added or removed, the message is gone, or it has too many kinds. */
export type Toggled = "added" | "removed" | "gone" | "full";

class Abort extends Error {
  constructor(readonly outcome: Toggled) {
    super(outcome);
  }
}

/**
 * Adds the person's reaction, or removes it when present, in one transaction: bumps the room
 * version under its row lock (not in archived rooms), sets the message's version (members
 * only, not deleted messages) and queues the NOTIFY, so the hub pushes the message again.
 */
export async function toggleReaction(
  db: Kysely<Database>,
  input: { messageId: string; roomId: string; userId: string; emoji: string },
): Promise<Toggled> {
  try {
    return await db.transaction().execute(async (trx) => {
      const room = await trx.updateTable("rooms").set({ version: sql`version + 1` })
        .where("id", "=", input.roomId).where("archived_at", "is", null)
        .returning("version").executeTakeFirst();
      if (!room || !await touchMessage(trx, input, room.version)) throw new Abort("gone");
      const outcome = await flip(trx, input);
      await sql`select ${notifyEvent({ k: "room", r: input.roomId, v: room.version })}`
        .execute(trx);
      return outcome;
    });
  } catch (error) {
    if (error instanceof Abort) return error.outcome;
    throw error;
  }
}

async function touchMessage(
  trx: Kysely<Database>,
  input: { messageId: string; roomId: string; userId: string },
  version: number,
) {
  return await trx.updateTable("messages").set({ version })
    .where("id", "=", input.messageId).where("room_id", "=", input.roomId)
    .where("deleted_at", "is", null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("memberships").select("user_id").where("room_id", "=", input.roomId)
          .where("user_id", "=", input.userId),
      )
    ).returning("id").executeTakeFirst();
}

async function flip(
  trx: Kysely<Database>,
  input: { messageId: string; userId: string; emoji: string },
): Promise<Toggled> {
  const removed = await trx.deleteFrom("reactions").where("message_id", "=", input.messageId)
    .where("user_id", "=", input.userId).where("emoji", "=", input.emoji).executeTakeFirst();
  if (removed.numDeletedRows > 0n) return "removed";
  const kinds = await trx.selectFrom("reactions").select("emoji").distinct()
    .where("message_id", "=", input.messageId).execute();
  if (kinds.length >= MAX_KINDS && !kinds.some((k) => k.emoji === input.emoji)) {
    throw new Abort("full");
  }
  await trx.insertInto("reactions").values({
    message_id: input.messageId,
    user_id: input.userId,
    emoji: input.emoji,
  }).execute();
  return "added";
}
