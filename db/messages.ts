import { type Kysely, sql } from "kysely";
import { notifyEvent } from "./events.ts";
import { deleteFilesOf, filesOf, type FileView } from "./files.ts";
import { reactionsOf, type ReactionSummary } from "./reactions.ts";
import type { Database, Message } from "./schema.ts";
import { textProblem } from "./text.ts";
import { newId } from "./users.ts";

/** The longest message body, in characters. */
export const MAX_BODY = 4000;

/** A message with what its view needs about the author. */
export interface MessageView extends Message {
  username: string;
  display_name: string;
  room_slug: string;
  /** Who reacted with what, read with the message (see reactionsOf). */
  reactions?: ReactionSummary[];
  /** The files sent with it (see filesOf); a deleted message has none. */
  files?: FileView[];
}

/** Why a body cannot be sent, or null (the text rules: no NUL or controls, a bounded length). */
export function bodyProblem(body: string): string | null {
  const problem = textProblem(body, { name: "Message", max: MAX_BODY, multiline: true });
  if (problem) return problem;
  if (!body.trim()) return "Message is empty";
  return null;
}

/** Why a client_id is malformed, or null. */
export function clientIdProblem(clientId: string | null): string | null {
  if (clientId === null) return null;
  return /^[A-Za-z0-9_-]{1,64}$/.test(clientId)
    ? null
    : "client_id must be 1-64 letters, digits, - or _";
}

function withAuthor(db: Kysely<Database>) {
  return db.selectFrom("messages").innerJoin("users", "users.id", "messages.author_id")
    .innerJoin("rooms", "rooms.id", "messages.room_id")
    .selectAll("messages").select([
      "users.username",
      "users.display_name",
      "rooms.slug as room_slug",
      reactionsOf,
      filesOf,
    ]);
}

/** A page of history, oldest first: the newest `limit` messages, or those before a seq. */
export async function listMessages(
  db: Kysely<Database>,
  roomId: string,
  options: { before?: number; limit?: number } = {},
): Promise<MessageView[]> {
  let query = withAuthor(db).where("messages.room_id", "=", roomId);
  if (options.before !== undefined) query = query.where("messages.seq", "<", options.before);
  const rows = await query.orderBy("messages.seq", "desc").limit(options.limit ?? 50).execute();
  return rows.reverse();
}

/** Every message changed after a room version, in version order (the resume path). */
export async function changesSince(
  db: Kysely<Database>,
  roomId: string,
  after: number,
  limit = 500,
): Promise<MessageView[]> {
  return await withAuthor(db).where("messages.room_id", "=", roomId)
    .where("messages.version", ">", after).orderBy("messages.version").limit(limit).execute();
}

/** One message by id, with its author. */
export async function findMessage(db: Kysely<Database>, id: string) {
  return await withAuthor(db).where("messages.id", "=", id).executeTakeFirst() ?? null;
}

/** The message an author already sent with a client_id, with its author, or null. */
export async function findByClientId(
  db: Kysely<Database>,
  input: { authorId: string; clientId: string },
): Promise<MessageView | null> {
  return await withAuthor(db).where("messages.author_id", "=", input.authorId)
    .where("messages.client_id", "=", input.clientId).executeTakeFirst() ?? null;
}

/** The seq of the `count`-th message after `seq` in a room, or null when there are fewer. */
export async function seqAfter(
  db: Kysely<Database>,
  roomId: string,
  options: { seq: number; count: number },
): Promise<number | null> {
  const row = await db.selectFrom("messages").select("seq").where("room_id", "=", roomId)
    .where("seq", ">", options.seq).orderBy("seq").offset(options.count - 1).limit(1)
    .executeTakeFirst();
  return row?.seq ?? null;
}

class Unchanged extends Error {}

/**
 * Edits a message (`body` set) or deletes it (`body` null, the stored body is blanked) in one
 * transaction: bumps the room version under its row lock first, so the earlier body read
 * next is the latest; keeps it as a revision, sets the message's version, queues the NOTIFY.
 * Returns null, changing nothing, when the message is gone or the editor may not change it
 * (its author edits and deletes it; an admin only deletes it).
 * `within` runs in the same transaction once the change is made (the admin panel's audit).
 * A delete removes the message's files and their bytes in that transaction too.
 */
export async function reviseMessage(
  db: Kysely<Database>,
  input: { messageId: string; roomId: string; editorId: string; body: string | null },
  options: { within?: (trx: Kysely<Database>, changed: Message) => Promise<void> } = {},
): Promise<Message | null> {
  try {
    return await db.transaction().execute(async (trx) => {
      const room = await trx.updateTable("rooms").set({ version: sql`version + 1` })
        .where("id", "=", input.roomId).where("archived_at", "is", null)
        .returning("version").executeTakeFirst();
      const changed = room && await applyRevision(trx, input, room.version);
      if (!changed) throw new Unchanged();
      // A deleted message's files go with it, whoever deletes it (author or admin).
      if (input.body === null) await deleteFilesOf(trx, changed.id);
      await options.within?.(trx, changed);
      return changed;
    });
  } catch (error) {
    if (error instanceof Unchanged) return null;
    throw error;
  }
}

/** Queued for the changed row: its room and the version it now has (see ChatEvent). */
const CHANGED_MESSAGE = notifyEvent({
  k: "room",
  r: sql.ref<string>("room_id"),
  v: sql.ref<number>("version"),
});

async function applyRevision(
  trx: Kysely<Database>,
  input: { messageId: string; roomId: string; editorId: string; body: string | null },
  version: number,
): Promise<Message | undefined> {
  const deleting = input.body === null;
  const result = await sql<Message>`
    with old as (
      select id, body from messages
      where id = ${input.messageId} and room_id = ${input.roomId} and deleted_at is null
        and (author_id = ${input.editorId} or ${deleting}::boolean and exists (select 1 from users
          where id = ${input.editorId} and role = 'admin' and deactivated_at is null))
    ), revised as (
      insert into message_revisions (id, message_id, body, editor_id)
      select ${newId()}, id, body, ${input.editorId} from old returning message_id
    ), changed as (
      update messages set version = ${version}, body = ${input.body ?? ""}::text,
        edited_at = case when ${deleting}::boolean then edited_at else now() end,
        deleted_at = case when ${deleting}::boolean then now() else null end
      from old where messages.id = old.id returning messages.*
    ), notified as (
      select ${CHANGED_MESSAGE} from changed
    )
    select changed.* from changed
    -- Load-bearing: a WITH query that only selects runs only as far as the main query reads
    -- it, and nothing reads notified, so without its count no pg_notify would run; ">= 0" is
    -- always true. (revised is an insert, which runs to completion anyway.)
    where (select count(*) from notified) >= 0 and (select count(*) from revised) >= 0`
    .execute(trx);
  return result.rows[0];
}
