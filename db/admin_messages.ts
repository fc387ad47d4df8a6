import { type Kysely, sql } from "kysely";
import { type AdminOutcome, recordAudit, refusedWith } from "./audit.ts";
import { findMessage, type MessageView, reviseMessage } from "./messages.ts";
import type { Database, User } from "./schema.ts";

/** The longest search text or author name the panel accepts, in characters. */
export const MAX_QUERY = 200;

/** What to look for: text in the body and/or the author's username (either may be blank). */
export interface MessageQuery {
  text: string;
  author: string;
}

/** A found message with its room's name. */
export type FoundMessage = MessageView & { room_name: string };

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Live messages in rooms matching the query, newest first; nothing for an empty query. */
export async function searchMessages(
  db: Kysely<Database>,
  query: MessageQuery,
  limit = 50,
): Promise<FoundMessage[]> {
  const text = query.text.trim().slice(0, MAX_QUERY);
  const author = query.author.trim().replace(/^@/, "").slice(0, MAX_QUERY);
  if (!text && !author) return [];
  let q = db.selectFrom("messages").innerJoin("users", "users.id", "messages.author_id")
    .innerJoin("rooms", "rooms.id", "messages.room_id")
    .selectAll("messages")
    .select(["users.username", "users.display_name", "rooms.slug as room_slug"])
    .select("rooms.name as room_name")
    .where("messages.deleted_at", "is", null)
    // Direct conversations stay between their two people, even for admins.
    .where("rooms.kind", "<>", "direct");
  if (text) q = q.where("messages.body", "ilike", likePattern(text));
  if (author) q = q.where(sql<string>`lower(users.username)`, "=", author.toLowerCase());
  return await q.orderBy("messages.created_at", "desc").orderBy("messages.id", "desc")
    .limit(limit).execute();
}

/** Deletes a message as an admin (the same path as an author's delete), with its audit entry. */
export async function deleteMessageAsAdmin(
  db: Kysely<Database>,
  actor: User,
  messageId: string,
): Promise<AdminOutcome> {
  const message = await findMessage(db, messageId);
  if (!message || message.deleted_at) return refusedWith(404, "There is no such message");
  const deleted = await reviseMessage(db, {
    messageId,
    roomId: message.room_id,
    editorId: actor.id,
    body: null,
  }, {
    within: async (trx) => {
      // The body stays in message_revisions; the log names the message, not its words.
      const detail = `m-${message.id}`;
      const target = `message by @${message.username} in #${message.room_slug}`;
      await recordAudit(trx, { actor, action: "delete message", target, detail });
    },
  });
  if (!deleted) {
    return refusedWith(
      409,
      `Messages in an archived room are final: unarchive #${message.room_slug} first`,
    );
  }
  return { ok: true };
}
