import type { Kysely } from "kysely";
import type { Config } from "../config.ts";
import type { Bus } from "../db/bus.ts";
import type { Database, User } from "../db/schema.ts";
import type { SendBatcher } from "../db/send_batch.ts";
import type { Fanout } from "./fanout.ts";
import type { Hub } from "./hub.ts";
import type { Presence } from "./presence.tsx";
import type { RateLimiter } from "./rate.ts";

/** What every route gets, wired once in main.ts. */
export interface Deps {
  db: Kysely<Database>;
  bus: Bus;
  hub: Hub;
  /** Bus events by kind; features register their handlers on it when they are wired. */
  fanout: Fanout;
  config: Config;
  limiter: RateLimiter;
  /** Who is online and who is typing (routes/presence.tsx). */
  presence: Presence;
  /** Stores messages, committing concurrent sends to one room together. */
  sends: SendBatcher;
}

/** Hono environment: the signed-in user (from the session cookie only) and the peer address. */
export type Env = {
  Variables: { user: User | null; token: string | null };
  Bindings: { remoteAddr?: string };
};

/** The environment after requireUser(): a user is certain. */
export type AuthedEnv = {
  Variables: { user: User; token: string | null };
  Bindings: { remoteAddr?: string };
};
