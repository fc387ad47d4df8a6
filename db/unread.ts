import type { Kysely } from "kysely";
import type { MessageView } from "./messages.ts";
import type { Database } from "./schema.ts";

/** The room version a member had read up to, or null for a non-member. */
export async function lastReadVersion(
  db: Kysely<Database>,
  roomId: string,
  userId: string,
): Promise<number | null> {
  const row = await db.selectFrom("memberships").select("last_read_version")
    .where("room_id", "=", roomId).where("user_id", "=", userId).executeTakeFirst();
  return row?.last_read_version ?? null;
}

/**
 * The first message the reader has not seen: after their last read version, by someone
 * else, not deleted. Null on a first visit (nothing read yet) or when all is read.
 */
export function firstUnread(
  messages: MessageView[],
  options: { lastRead: number | null; userId: string },
): string | null {
  const { lastRead, userId } = options;
  if (!lastRead) return null;
  const m = messages.find((m) => m.seq > lastRead && m.author_id !== userId && !m.deleted_at);
  return m?.id ?? null;
}
