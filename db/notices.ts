import { type Kysely, sql } from "kysely";
import { mayRead } from "./read_rule.ts";
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

/** The notice data for a message, only when `userId` may read its room (the read rule). */
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
    .innerJoin("users as reader", (join) => join.on("reader.id", "=", userId))
    .where("g.id", "=", messageId).where("g.deleted_at", "is", null)
    .where(mayRead("r", "reader"))
    .executeTakeFirst() as NoticeData | undefined ?? null;
}
