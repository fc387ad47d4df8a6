import type { Kysely } from "kysely";
import type { Database, MessageRevision } from "./schema.ts";

/** A message's earlier bodies, oldest first (written by reviseMessage in messages.ts). */
export async function listRevisions(
  db: Kysely<Database>,
  messageId: string,
): Promise<MessageRevision[]> {
  return await db.selectFrom("message_revisions").selectAll()
    .where("message_id", "=", messageId).orderBy("edited_at").orderBy("id").execute();
}
