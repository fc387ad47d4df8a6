// Sending a message with files: the message, its files' rows and bytes and its mentions in one
// transaction, so a page pushed the message (after commit) always finds its files.
import { type Kysely, sql } from "kysely";
import { type FileView, storeFiles, type Upload } from "./files.ts";
import { recordMentions } from "./mentions.ts";
import type { MessageView } from "./messages.ts";
import type { Database } from "./schema.ts";
import {
  afterClientIdRace,
  isStored,
  type SendInput,
  sendMessages,
  type SendOutcome,
} from "./send.ts";

/** A send that stored nothing new: its transaction rolls back and the outcome is the answer. */
class Unsent {
  constructor(readonly outcome: SendOutcome) {}
}

/** True when the message was inserted by this transaction (its created_at is this now()). */
async function insertedHere(trx: Kysely<Database>, id: string): Promise<boolean> {
  const { rows } = await sql<{ fresh: boolean }>`select created_at = now() as fresh
    from messages where id = ${id}`.execute(trx);
  return rows[0]?.fresh === true;
}

/**
 * Stores a message with its files, like sendMessage (a retry of a client_id returns the
 * stored message and stores no file twice; null when the room refuses the author). The room's
 * row lock is held from the message's insert to the commit, while the bytes are written.
 */
export async function sendWithFiles(
  db: Kysely<Database>,
  input: SendInput & { mentions: string[] },
  uploads: Upload[],
): Promise<SendOutcome> {
  const { mentions, ...send } = input;
  try {
    return await db.transaction().execute(async (trx) => {
      const [message] = await sendMessages(trx, send.roomId, [send]);
      const fresh = isStored(message) && await insertedHere(trx, message.id);
      if (!fresh) throw new Unsent(message);
      const files: FileView[] = await storeFiles(trx, message, uploads);
      if (mentions.length) await recordMentions(trx, message, mentions);
      return { ...message, files } satisfies MessageView;
    });
  } catch (error) {
    if (error instanceof Unsent) return error.outcome;
    return await afterClientIdRace(db, error, send);
  }
}
