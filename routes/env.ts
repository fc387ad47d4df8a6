import type { Kysely } from "kysely";
import type { Config } from "../config.ts";
import type { Bus } from "../db/bus.ts";
import type { Database, User } from "../db/schema.ts";
import type { Engine } from "../live/engine.ts";
import type { Metrics } from "../live/metrics.ts";

/** What every route gets, wired once in main.ts: the store, the config and the live engine. */
export interface Deps extends Engine {
  db: Kysely<Database>;
  bus: Bus;
  config: Config;
  /** This instance's counters, served at /metrics. */
  metrics: Metrics;
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
