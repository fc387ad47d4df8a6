import type { Kysely } from "kysely";
import { liveSessions } from "../db/sessions.ts";
import type { Database } from "../db/schema.ts";
import { Batched } from "./batched.ts";

/**
 * Answers "does this session still hold?" for every WebSocket frame before it is stored, so a
 * frame that arrives after sign-out on any instance is refused even before that instance has
 * heard of it. Questions asked while a query is in flight share the next one (live/batched.ts),
 * so a busy instance pays one query per round, not one per frame.
 */
export class SessionCheck {
  #alive: Batched<string, boolean>;

  constructor(db: Kysely<Database>) {
    this.#alive = new Batched(async (hashes) => {
      const alive = await liveSessions(db, hashes);
      return new Map(hashes.map((hash) => [hash, alive.has(hash)]));
    }, false);
  }

  /** True while the session (its token hash) exists and has not expired. */
  alive(session: string): Promise<boolean> {
    return this.#alive.get(session);
  }
}
