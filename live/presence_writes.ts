import type { Kysely } from "kysely";
import { changePresence, personKey } from "../db/presence_counts.ts";
import type { Database } from "../db/schema.ts";

interface Pending {
  roomId: string;
  userId: string;
  delta: number;
  /** Arrivals waiting to hear whether the person came online with them (the first one did). */
  arrivals: Array<(joined: boolean) => void>;
  done: Array<() => void>;
  failed: Array<(error: unknown) => void>;
}

/**
 * This instance's presence counts, written in batches: the opens and closes that arrive while
 * one write is in flight go together in the next (one transaction for a whole room coming
 * back after a restart, instead of one per page). A person's +1 and -1 in one batch cancel.
 */
export class PresenceWrites {
  #waiting = new Map<string, Pending>();
  #busy = false;

  constructor(private db: Kysely<Database>, private instanceId: string) {}

  /** Counts a connection opened; resolves true for the one that brought the person online. */
  opened(roomId: string, userId: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const pending = this.#pending(roomId, userId, 1, reject);
      pending.arrivals.push(resolve);
    });
  }

  /** Counts a connection closed. */
  closed(roomId: string, userId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending(roomId, userId, -1, reject).done.push(resolve);
    });
  }

  #pending(roomId: string, userId: string, delta: number, reject: (error: unknown) => void) {
    const key = personKey(roomId, userId);
    const pending = this.#waiting.get(key) ??
      { roomId, userId, delta: 0, arrivals: [], done: [], failed: [] };
    pending.delta += delta;
    pending.failed.push(reject);
    this.#waiting.set(key, pending);
    // Everything opened in this turn of the event loop joins the first write.
    if (!this.#busy) queueMicrotask(() => this.#run());
    this.#busy = true;
    return pending;
  }

  async #run() {
    while (this.#waiting.size) {
      const batch = this.#waiting;
      this.#waiting = new Map();
      const changes = [...batch.values()].filter((p) => p.delta !== 0);
      try {
        this.#settle(batch, await changePresence(this.db, this.instanceId, changes));
      } catch (error) {
        // One bad change (a room deleted meanwhile) fails the whole transaction: each is
        // tried alone, so the others still count.
        if (batch.size === 1) this.#fail(batch, error);
        else for (const [key, pending] of batch) await this.#alone(key, pending);
      }
    }
    this.#busy = false;
  }

  async #alone(key: string, pending: Pending) {
    const single = new Map([[key, pending]]);
    try {
      const changes = pending.delta === 0 ? [] : [pending];
      this.#settle(single, await changePresence(this.db, this.instanceId, changes));
    } catch (error) {
      this.#fail(single, error);
    }
  }

  #settle(batch: Map<string, Pending>, turned: Map<string, boolean>) {
    for (const [key, pending] of batch) {
      const joined = turned.get(key) === true;
      pending.arrivals.forEach((resolve, i) => resolve(joined && i === 0));
      pending.done.forEach((resolve) => resolve());
    }
  }

  #fail(batch: Map<string, Pending>, error: unknown) {
    for (const pending of batch.values()) pending.failed.forEach((reject) => reject(error));
  }
}
