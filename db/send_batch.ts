import type { Kysely } from "kysely";
import { recordMentions, sendWithMentions } from "./mentions.ts";
import { type SendInput as Stored, sendMessages } from "./send.ts";
import type { Database, Message } from "./schema.ts";

/** What one send stores (see sendMessage), with the names it mentions (see sendWithMentions). */
export type SendInput = Stored & { mentions: string[] };

/** The most sends committed together. */
const MAX_BATCH = 64;

interface Pending {
  input: SendInput;
  resolve(message: Message | null): void;
  reject(error: unknown): void;
}

/**
 * Group commit per room. A send holds its room's row lock until its commit is durable (one
 * WAL flush), so sends to one room commit one after another and, under load, the flushes cap
 * the room's rate, not the CPU. While a room's write is in flight, later sends wait here and
 * then commit together in arrival order: one statement (sendMessages), one lock, one flush,
 * plus the mentions' inserts in the same transaction when there are any. A lone send goes straight through, so a quiet room pays nothing.
 */
export class SendBatcher {
  #waiting = new Map<string, Pending[]>();
  constructor(private db: Kysely<Database>) {}

  /** Stores a message; resolves like sendMessage once its transaction has committed. */
  send(input: SendInput): Promise<Message | null> {
    return new Promise((resolve, reject) => {
      const item = { input, resolve, reject };
      const waiting = this.#waiting.get(input.roomId);
      if (waiting) return void waiting.push(item);
      this.#waiting.set(input.roomId, []);
      this.#drain(input.roomId, [item]);
    });
  }

  async #drain(roomId: string, batch: Pending[]) {
    while (batch.length) {
      await this.#commit(batch);
      batch = this.#waiting.get(roomId)!.splice(0, MAX_BATCH);
    }
    this.#waiting.delete(roomId);
  }

  async #commit(batch: Pending[]) {
    if (batch.length === 1) return await settle(batch[0], this.db);
    const inputs = batch.map((item) => item.input);
    const store = async (db: Kysely<Database>) => {
      const stored = await sendMessages(db, inputs[0].roomId, inputs);
      for (const [i, message] of stored.entries()) {
        if (message && inputs[i].mentions.length) {
          await recordMentions(db, message, inputs[i].mentions);
        }
      }
      return stored;
    };
    try {
      const mentioning = inputs.some((input) => input.mentions.length);
      const sent = mentioning ? await this.db.transaction().execute(store) : await store(this.db);
      batch.forEach((item, i) => item.resolve(sent[i]));
    } catch {
      // One failure (a client_id race, say) rolls the whole batch back, so nothing of it is
      // stored: each send is retried alone and fails or succeeds on its own.
      for (const item of batch) await settle(item, this.db);
    }
  }
}

async function settle(item: Pending, db: Kysely<Database>) {
  try {
    const { mentions, ...input } = item.input;
    item.resolve(await sendWithMentions(db, input, mentions));
  } catch (error) {
    item.reject(error);
  }
}
