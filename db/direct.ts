import { type Kysely, sql } from "kysely";
import { notifyEvent } from "./events.ts";
import { afterClientIdRace, isStored, sendMessage, type SendOutcome } from "./send.ts";
import type { Database, Room, User } from "./schema.ts";
import { newId } from "./users.ts";

/**
 * The slug of the direct room of two people: their ids in order, so both find the same
 * room, and a `~` that slugify() never produces, so no named room can take it.
 */
export function directSlug(a: string, b: string): string {
  const [first, second] = [a, b].sort();
  return `dm~${first}~${second}`.toLowerCase();
}

/** The direct room of two people, or null while they have never written to each other. */
export async function findDirectRoom(
  db: Kysely<Database>,
  a: string,
  b: string,
): Promise<Room | null> {
  return await db.selectFrom("rooms").selectAll().where("slug", "=", directSlug(a, b))
    .where("kind", "=", "direct").executeTakeFirst() ?? null;
}

/**
 * Sends a private message in one transaction: creates the direct room and both memberships
 * when missing (the unique slug makes two first messages at once share one room), stores
 * the message and notifies the recipient's inbox on commit.
 */
export async function sendDirect(
  db: Kysely<Database>,
  input: { from: User; to: User; body: string; clientId: string | null },
): Promise<SendOutcome> {
  return await db.transaction().execute(async (trx) => {
    const room = await openDirectRoom(trx, input.from, input.to);
    if (!room) return null;
    const message = await sendMessage(trx, {
      roomId: room.id,
      authorId: input.from.id,
      body: input.body,
      clientId: input.clientId,
    });
    if (isStored(message)) {
      await sql`select ${notifyEvent({ k: "user", u: input.to.id, m: message.id })}`
        .execute(trx);
    }
    return message;
  }).catch(async (error) => {
    const room = await findDirectRoom(db, input.from.id, input.to.id);
    const send = { roomId: room?.id ?? "", authorId: input.from.id, ...input };
    return await afterClientIdRace(db, error, send);
  });
}

async function openDirectRoom(trx: Kysely<Database>, from: User, to: User) {
  const slug = directSlug(from.id, to.id);
  await trx.insertInto("rooms").values({
    id: newId(),
    slug,
    name: `${from.username}, ${to.username}`,
    kind: "direct",
    created_by: from.id,
  }).onConflict((oc) => oc.column("slug").doNothing()).execute();
  const room = await trx.selectFrom("rooms").selectAll().where("slug", "=", slug)
    .where("kind", "=", "direct").executeTakeFirst();
  if (!room) return null;
  await trx.insertInto("memberships").values([
    { room_id: room.id, user_id: from.id },
    { room_id: room.id, user_id: to.id },
  ]).onConflict((oc) => oc.columns(["room_id", "user_id"]).doNothing()).execute();
  return room;
}

/** "to whom, what" for the sender's delivery line; null unless `userId` sent this message. */
export async function deliveryOf(db: Kysely<Database>, messageId: string, userId: string) {
  const row = await db.selectFrom("messages as g")
    .innerJoin("rooms as r", "r.id", "g.room_id")
    .innerJoin("memberships as mb", "mb.room_id", "g.room_id")
    .innerJoin("users as u", "u.id", "mb.user_id")
    .select(["u.username as to", "g.body"])
    .where("g.id", "=", messageId).where("g.author_id", "=", userId)
    .where("g.deleted_at", "is", null).where("r.kind", "=", "direct")
    .where("mb.user_id", "<>", userId).executeTakeFirst();
  return row ?? null;
}
