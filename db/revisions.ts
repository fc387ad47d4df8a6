import type { Kysely } from "kysely";
import type { Database, MessageRevision } from "./schema.ts";

/** A revision with the display name of whoever replaced it (null when that account is gone). */
export type RevisionWithEditor = MessageRevision & { editor_name: string | null };

/** A message's earlier bodies, oldest first (written by reviseMessage in messages.ts). */
export async function listRevisions(
  db: Kysely<Database>,
  messageId: string,
): Promise<MessageRevision[]> {
  return await db.selectFrom("message_revisions").selectAll()
    .where("message_id", "=", messageId).orderBy("edited_at").orderBy("id").execute();
}

/** The same, with each editor's display name, for the admins' history page. */
export async function listRevisionsWithEditors(
  db: Kysely<Database>,
  messageId: string,
): Promise<RevisionWithEditor[]> {
  return await db.selectFrom("message_revisions")
    .leftJoin("users", "users.id", "message_revisions.editor_id")
    .selectAll("message_revisions").select("users.display_name as editor_name")
    .where("message_id", "=", messageId)
    .orderBy("message_revisions.edited_at").orderBy("message_revisions.id").execute();
}
