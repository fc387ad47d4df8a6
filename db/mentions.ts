import { type Kysely, sql } from "kysely";
import { notifyEvent } from "./events.ts";
import { afterClientIdRace, isStored, sendMessage, type SendOutcome } from "./send.ts";
import { mayRead } from "./read_rule.ts";
import type { Database, Message } from "./schema.ts";

/** At most this many people are notified by one message (the rest of the names are text). */
export const MAX_MENTIONS = 20;

/**
 * Sends a room message and, in the same transaction, records an inbox item for each
 * @mentioned person who may read the room (never the author, never in a direct room, where
 * the message itself is the notification) and notifies their inboxes on commit.
 */
export async function sendWithMentions(
  db: Kysely<Database>,
  input: { roomId: string; authorId: string; body: string; clientId: string | null },
  names: string[],
): Promise<SendOutcome> {
  if (!names.length) return await sendMessage(db, input);
  try {
    return await db.transaction().execute(async (trx) => {
      const message = await sendMessage(trx, input);
      if (isStored(message)) await recordMentions(trx, message, names);
      return message;
    });
  } catch (error) {
    return await afterClientIdRace(db, error, input);
  }
}

/**
 * Records the inbox items of a message just stored in `trx`, and queues their NOTIFYs; a
 * mentioned bot with a webhook URL gets a delivery row (db/webhook_deliveries.ts) too. A
 * repeated client_id returns the stored message: the primary key keeps one item each.
 */
export async function recordMentions(trx: Kysely<Database>, message: Message, names: string[]) {
  await sql`
    with mentioned as (
      insert into mentions (message_id, user_id, room_id)
      select ${message.id}, u.id, r.id from users u
      join rooms r on r.id = ${message.room_id}
      where lower(u.username) in (${
    sql.join(names.slice(0, MAX_MENTIONS))
  }) and u.id <> ${message.author_id}
        and r.kind <> 'direct' and ${mayRead("r", "u")}
      on conflict do nothing
      returning user_id
    ), hooked as (
      -- A mentioned bot with a URL gets the message POSTed (live/webhook_worker.ts).
      insert into webhook_deliveries (message_id, bot_id)
      select ${message.id}, b.user_id from mentioned join bots b on b.user_id = mentioned.user_id
      where b.webhook_url is not null
      on conflict do nothing
    )
    select ${notifyEvent({ k: "user", u: sql.ref<string>("user_id"), m: message.id })}
    from mentioned`.execute(trx);
}
