import type { Kysely } from "kysely";
import { recordMentions, sendWithMentions } from "./mentions.ts";
import { isStored, type SendInput as Stored, sendMessages, type SendOutcome } from "./send.ts";
import type { MessageView } from "./messages.ts";
import type { Database } from "./schema.ts";
import { log } from "../log.ts";

/** What one send stores (see sendMessage), with the names it mentions (see sendWithMentions). */
export type SendInput = Stored & { mentions: string[] };

/** Told when a room's write starts and ends (the hub pushes what it stored from the rows). */
export interface WriteWatcher {
  storing(roomId: string): void;
  /** The write ended; `messages` are the rows it returned (none when it failed). */
  stored(roomId: string, messages: MessageView[]): void;
}

/** The most sends committed together. */
const MAX_BATCH = 64;

interface Pending {
  input: SendInput;
  resolve(message: SendOutcome): void;
  reject(error: unknown): void;
}

const unwatched: WriteWatcher = { storing() {}, stored() {} };

/**
 * Group commit per room. A send holds its room's row lock until its commit is durable (one
 * WAL flush), so sends to one room commit one after another and, under load, the flushes cap
 * the room's rate, not the CPU. While a room's write is in flight, later sends wait here and
 * then commit together in arrival order: one statement (sendMessages), one lock, one flush,
 * plus the mentions' inserts in the same transaction when there are any. A lone send goes
 * straight through, so a quiet room pays nothing.
 */
export class SendBatcher {
  #waiting = new Map<string, Pending[]>();
  constructor(private db: Kysely<Database>, private watcher: WriteWatcher = unwatched) {}

  /** Stores a message; resolves like sendMessage once its transaction has committed. */
  send(input: SendInput): Promise<SendOutcome> {
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
      this.watcher.storing(roomId);
      const outcomes = await this.#commit(batch.map((item) => item.input));
      const stored = outcomes.filter((o): o is MessageView =>
        !(o instanceof Failed) && isStored(o)
      );
      try {
        this.watcher.stored(roomId, stored);
      } catch (error) {
        // The messages are stored either way; their NOTIFY still brings them to everyone.
        log.error("Pushing stored messages failed", { error });
      }
      batch.forEach((item, i) => {
        const outcome = outcomes[i];
        if (outcome instanceof Failed) item.reject(outcome.error);
        else item.resolve(outcome);
      });
      batch = this.#waiting.get(roomId)!.splice(0, MAX_BATCH);
    }
    this.#waiting.delete(roomId);
  }

  /** Commits a batch; never throws. Per send: its outcome (see sendMessages), or Failed. */
  async #commit(inputs: SendInput[]): Promise<Outcome[]> {
    if (inputs.length === 1) return [await this.#alone(inputs[0])];
    const store = async (db: Kysely<Database>) => {
      const stored = await sendMessages(db, inputs[0].roomId, inputs);
      for (const [i, message] of stored.entries()) {
        if (isStored(message) && inputs[i].mentions.length) {
          await recordMentions(db, message, inputs[i].mentions);
        }
      }
      return stored;
    };
    try {
      const mentioning = inputs.some((input) => input.mentions.length);
      return mentioning ? await this.db.transaction().execute(store) : await store(this.db);
    } catch {
      // One failure (a client_id race, say) rolls the whole batch back, so nothing of it is
      // stored: each send is retried alone and fails or succeeds on its own.
      const outcomes = [];
      for (const input of inputs) outcomes.push(await this.#alone(input));
      return outcomes;
    }
  }

  async #alone({ mentions, ...input }: SendInput): Promise<Outcome> {
    try {
      return await sendWithMentions(this.db, input, mentions);
    } catch (error) {
      return new Failed(error);
    }
  }
}

/** A send that failed with an error (not a refusal), to be passed on to its caller. */
class Failed {
  constructor(readonly error: unknown) {}
}

type Outcome = SendOutcome | Failed;
