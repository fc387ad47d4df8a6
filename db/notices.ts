import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.ts";

/** What a live notice about a message shows: who wrote where, and what. */
export interface NoticeData {
  id: string;
  body: string;
  author: string;
  author_username: string;
  room_slug: string;
  room_name: string;
  direct: boolean;
}

/** The notice data for a message, only when `userId` belongs to (or may read) its room. */
export async function noticeFor(db: Kysely<Database>, messageId: string, userId: string) {
  return await db.selectFrom("messages as g")
    .innerJoin("rooms as r", "r.id", "g.room_id")
    .innerJoin("users as a", "a.id", "g.author_id")
    .select([
      "g.id",
      "g.body",
      "a.display_name as author",
      "a.username as author_username",
      "r.slug as room_slug",
      "r.name as room_name",
      sql<boolean>`r.kind = 'direct'`.as("direct"),
    ])
    .where("g.id", "=", messageId).where("g.deleted_at", "is", null)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb.selectFrom("memberships as mb").select("mb.user_id")
            .whereRef("mb.room_id", "=", "g.room_id").where("mb.user_id", "=", userId),
        ),
        eb.exists(
          eb.selectFrom("mentions as x").select("x.user_id")
            .whereRef("x.message_id", "=", "g.id").where("x.user_id", "=", userId),
        ),
      ])
    )
    .executeTakeFirst() as NoticeData | undefined ?? null;
}
