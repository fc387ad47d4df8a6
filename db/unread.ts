import type { Kysely } from "kysely";
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
