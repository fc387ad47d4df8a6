import type { Kysely } from "kysely";
import { liveSessions } from "../db/sessions.ts";
import type { Database } from "../db/schema.ts";

interface Asking {
  resolve(alive: boolean): void;
  reject(error: unknown): void;
}

/**
 * Answers "does this session still hold?" for every WebSocket frame before it is stored, so a
 * frame that arrives after sign-out on any instance is refused even before that instance has
 * heard of it. One query is in flight at a time; questions that arrive meanwhile share the
 * next one, so a busy instance pays one query per round, not one per frame.
 */
export class SessionCheck {
  #waiting = new Map<string, Asking[]>();
  #busy = false;
  constructor(private db: Kysely<Database>) {}

  /** True while the session (its token hash) exists and has not expired. */
  alive(session: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const asking = this.#waiting.get(session) ?? [];
      asking.push({ resolve, reject });
      this.#waiting.set(session, asking);
      if (!this.#busy) this.#run();
    });
  }

  async #run() {
    this.#busy = true;
    while (this.#waiting.size) {
      const round = this.#waiting;
      this.#waiting = new Map();
      try {
        const alive = await liveSessions(this.db, [...round.keys()]);
        for (const [session, asking] of round) asking.forEach((a) => a.resolve(alive.has(session)));
      } catch (error) {
        for (const asking of round.values()) asking.forEach((a) => a.reject(error));
      }
    }
    this.#busy = false;
  }
}
