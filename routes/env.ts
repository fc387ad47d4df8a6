import type { Kysely } from "kysely";
import type { Config } from "../config.ts";
import type { Bus } from "../db/bus.ts";
import type { Database, User } from "../db/schema.ts";
import type { SendBatcher } from "../db/send_batch.ts";
import type { Fanout } from "./fanout.ts";
import type { Hub } from "./hub.ts";
import type { Presence } from "./presence.tsx";
import type { RateLimiter } from "./rate.ts";
import type { SessionCheck } from "./session_check.ts";

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
  /** Whether a WebSocket's session still holds, checked before each frame is stored. */
  sessions: SessionCheck;
}

/**
 * What every request carries: the signed-in user (from the session cookie only), the token
 * and its hash (`session`, the session's id: live connections remember it), and the client
 * address (routes/client_address.ts; throttles key on it).
 */
type RequestVars = { token: string | null; session: string | null; clientAddress: string };

/** Hono environment: the request's session and client address, and the socket's peer. */
export type Env = {
  Variables: RequestVars & { user: User | null };
  Bindings: { remoteAddr?: string };
};

/** The environment after requireUser(): a user is certain. */
export type AuthedEnv = {
  Variables: RequestVars & { user: User };
  Bindings: { remoteAddr?: string };
};
