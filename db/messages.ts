import { type Kysely, sql } from "kysely";
import { CHANNEL } from "./events.ts";
import type { Database, Message } from "./schema.ts";
import { newId } from "./users.ts";

/** The longest message body, in characters. */
export const MAX_BODY = 4000;

/** A message with what its view needs about the author. */
export interface MessageView extends Message {
  username: string;
  display_name: string;
  room_slug: string;
}

/** Why a body cannot be sent, or null. */
export function bodyProblem(body: string): string | null {
  if (!body.trim()) return "Message is empty";
  const length = [...body].length;
  if (length > MAX_BODY) return `Message is too long (${length} of ${MAX_BODY} characters)`;
  return null;
}

/** Why a client_id is malformed, or null. */
export function clientIdProblem(clientId: string | null): string | null {
  if (clientId === null) return null;
  return /^[A-Za-z0-9_-]{1,64}$/.test(clientId)
    ? null
    : "client_id must be 1-64 letters, digits, - or _";
}

/**
 * Sends a message in one statement: checks membership, bumps the room version under its
 * row lock (one gap-free order that matches commit order), inserts with seq = version,
 * and queues the NOTIFY. A repeated client_id returns the stored message instead.
 * Returns null when the room is missing or archived or the author is not a member.
 */
export async function sendMessage(
  db: Kysely<Database>,
  input: { roomId: string; authorId: string; body: string; clientId: string | null },
): Promise<Message | null> {
  try {
    const result = await sql<Message>`
      with prior as (
        select * from messages where author_id = ${input.authorId} and client_id = ${input.clientId}
      ), bump as (
        update rooms set version = version + 1
        where id = ${input.roomId} and archived_at is null and not exists (select 1 from prior)
          and exists (select 1 from memberships
            where room_id = ${input.roomId} and user_id = ${input.authorId})
        returning id, version
      ), inserted as (
        insert into messages (id, room_id, author_id, body, client_id, seq, version)
        select ${newId()}, id, ${input.authorId}, ${input.body}, ${input.clientId}, version, version
        from bump returning *
      ), notified as (
        select pg_notify(${CHANNEL}, json_build_object('k', 'room', 'r', room_id, 'v', version)::text)
        from inserted
      )
      select inserted.* from inserted where (select count(*) from notified) >= 0
      union all select * from prior`.execute(db);
    return result.rows[0] ?? null;
  } catch (error) {
    // Two sends with one client_id raced; the loser returns the winner's row.
    if ((error as { code?: string }).code !== "23505" || !input.clientId) throw error;
    return await db.selectFrom("messages").selectAll()
      .where("author_id", "=", input.authorId).where("client_id", "=", input.clientId)
      .executeTakeFirst() ?? null;
  }
}

function withAuthor(db: Kysely<Database>) {
  return db.selectFrom("messages").innerJoin("users", "users.id", "messages.author_id")
    .innerJoin("rooms", "rooms.id", "messages.room_id")
    .selectAll("messages").select([
      "users.username",
      "users.display_name",
      "rooms.slug as room_slug",
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
