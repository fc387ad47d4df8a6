// Storing new messages: one statement checks, numbers, inserts and notifies (see sendMessages).
import { type Kysely, sql } from "kysely";
import { notifyEvent } from "./events.ts";
import { findByClientId, type MessageView } from "./messages.ts";
import { mayRead } from "./read_rule.ts";
import type { Database } from "./schema.ts";
import { newId } from "./users.ts";

/** One message to store: who sends what to which room, with an optional client_id. */
export interface SendInput {
  roomId: string;
  authorId: string;
  body: string;
  clientId: string | null;
}

/**
 * A client_id belongs to one send: one room and one body. Its author used it for another
 * message (another room, or another text), so this send is refused rather than answered with
 * that message (which another room's readers must never be shown).
 */
export class ClientIdReused {
  readonly reason = "That client_id was already used for another message: send it with a new one";
}

/** What storing one send gives: the message (new, or the earlier one of a retry), or a refusal. */
export type SendOutcome = MessageView | ClientIdReused | null;

/** True when the outcome is a stored message (not a refusal). */
export function isStored(outcome: SendOutcome | undefined): outcome is MessageView {
  return !!outcome && !(outcome instanceof ClientIdReused);
}

/**
 * The earlier message a client_id names, as the answer to a retry of `input`: it must be the
 * same send (same room, and the same body unless it was edited or deleted since).
 */
function retried(found: MessageView | null, input: Omit<SendInput, "authorId">): SendOutcome {
  if (!found) return null;
  const same = found.room_id === input.roomId &&
    (found.body === input.body || found.edited_at !== null || found.deleted_at !== null);
  return same ? found : new ClientIdReused();
}

/**
 * Sends a message in one statement (see sendMessages). A retry (a repeated client_id) returns
 * the stored message; a client_id used for another message is refused (ClientIdReused).
 * Returns null when the room is missing or archived, the author is not a member, or the room
 * refuses them (admin-only rooms: admins post; guests only where guests are allowed).
 */
export async function sendMessage(
  db: Kysely<Database>,
  input: SendInput,
): Promise<SendOutcome> {
  try {
    return (await sendMessages(db, input.roomId, [input]))[0];
  } catch (error) {
    return await afterClientIdRace(db, error, input);
  }
}

/**
 * Two sends with one client_id raced: the unique violation (or, inside a transaction, the
 * abort it caused) lost, and the winner's row is the answer. Any other error is rethrown.
 */
export async function afterClientIdRace(
  db: Kysely<Database>,
  error: unknown,
  input: SendInput,
): Promise<SendOutcome> {
  const code = (error as { code?: string }).code ?? "";
  if (!input.clientId || !["23505", "25P02"].includes(code)) throw error;
  const found = await findByClientId(db, { authorId: input.authorId, clientId: input.clientId });
  return retried(found, input);
}

/** Queued per inserted row: the room, its new version and the author (see ChatEvent). */
const NEW_MESSAGE = notifyEvent({
  k: "room",
  r: sql.ref<string>("room_id"),
  v: sql.ref<number>("version"),
  a: sql.ref<string>("author_id"),
});

/**
 * Sends several messages to one room in one statement, in the order given: checks each
 * author's membership and the room's posting rules, bumps the room version once under its
 * row lock (one gap-free order that matches commit order), inserts each accepted message with
 * seq = version, and queues one NOTIFY per message. Returns, per input, the stored message,
 * the earlier one for a retry (see retried), ClientIdReused, or null when refused; each with what its view
 * needs of author and room (a new message has no reactions yet), so the sending instance can
 * push it without reading it back. A client_id repeated within
 * the inputs violates the unique key and fails the whole statement.
 */
export async function sendMessages(
  db: Kysely<Database>,
  roomId: string,
  inputs: Omit<SendInput, "roomId">[],
): Promise<SendOutcome[]> {
  const column = <T>(pick: (input: Omit<SendInput, "roomId">) => T) => inputs.map(pick);
  const result = await sql<MessageView & { ord: string; retry: boolean }>`
    with input as (
      select * from unnest(${column(() => newId())}::text[], ${column((i) => i.authorId)}::text[],
        ${column((i) => i.body)}::text[], ${column((i) => i.clientId)}::text[])
        with ordinality as t(id, author_id, body, client_id, ord)
    ), prior as (
      select input.ord, true as retry, m.*, u.username, u.display_name, r.slug as room_slug from input
      join messages m on m.author_id = input.author_id and m.client_id = input.client_id
      join users u on u.id = m.author_id
      join rooms r on r.id = m.room_id
    ), accepted as (
      select input.*, u.username, u.display_name, r.slug as room_slug,
        row_number() over (order by input.ord) as n
      from input
      join rooms r on r.id = ${roomId} and r.archived_at is null
      join users u on u.id = input.author_id
      where not exists (select 1 from prior where prior.ord = input.ord)
        and exists (select 1 from memberships where room_id = r.id and user_id = u.id)
        and ${mayRead("r", "u")} and (u.role = 'admin' or not r.admins_only)
    ), bump as (
      update rooms set version = version + (select count(*) from accepted)
      where id = ${roomId} and archived_at is null and exists (select 1 from accepted)
      returning version - (select count(*) from accepted) as base
    ), inserted as (
      insert into messages (id, room_id, author_id, body, client_id, seq, version)
      select a.id, ${roomId}, a.author_id, a.body, a.client_id, bump.base + a.n, bump.base + a.n
      from accepted a, bump
      returning *
    ), notified as (
      select ${NEW_MESSAGE} from inserted
    )
    select a.ord, false as retry, i.*, a.username, a.display_name, a.room_slug
    from inserted i join accepted a on a.id = i.id
    -- Load-bearing: a WITH query that only selects runs only as far as the main query reads
    -- it, and nothing reads notified, so without this count no pg_notify would run. Counting
    -- reads every row (one NOTIFY per inserted message); ">= 0" is always true and keeps them all.
    where (select count(*) from notified) >= 0
    union all select * from prior`.execute(db);
  const stored: SendOutcome[] = inputs.map(() => null);
  for (const { ord, retry, ...message } of result.rows) {
    const i = Number(ord) - 1;
    stored[i] = retry ? retried(message, { roomId, ...inputs[i] }) : message;
  }
  return stored;
}
