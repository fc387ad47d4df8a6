import { type Kysely, sql } from "kysely";
import { notifyEvent } from "./events.ts";
import type { Database } from "./schema.ts";

/** Queues a typing event, only when the person is a member of the room; false otherwise. */
export async function notifyTyping(db: Kysely<Database>, roomId: string, userId: string) {
  const result = await sql`with allowed as (
      select 1 from memberships m join rooms r on r.id = m.room_id
      where m.room_id = ${roomId} and m.user_id = ${userId} and r.archived_at is null
    ) select ${notifyEvent({ k: "typing", r: roomId, u: userId })} from allowed`.execute(db);
  return result.rows.length > 0;
}

/** The author of the message a room version added (null when that version was an edit). */
export async function newMessageAuthor(db: Kysely<Database>, roomId: string, version: number) {
  const row = await db.selectFrom("messages").select("author_id")
    .where("room_id", "=", roomId).where("seq", "=", version).executeTakeFirst();
  return row?.author_id ?? null;
}
