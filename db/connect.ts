import { Kysely, PostgresDialect } from "kysely";
// @ts-types="npm:@types/pg@^8.23.1"
import pg from "pg";
import type { Bus } from "./bus.ts";
import { serverBus } from "./bus_server.ts";
import type { Database } from "./schema.ts";
import { log } from "../log.ts";

/** A database handle with its event bus. */
export interface Store {
  db: Kysely<Database>;
  bus: Bus;
  kind: "embedded" | "server";
  close(): Promise<void>;
  /** The query pool's use, for /metrics (a server's pool; the embedded database has none). */
  pool?(): PoolStats;
}

/** Connections open and idle in a pool, and queries waiting for one. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/** How long connecting may take before it fails (a database that never answers). */
export const CONNECT_TIMEOUT_MS = 5000;

/** int8 (counts) as numbers: every int8 here is a count far below 2^53. */
const TYPES = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    oid === 20 ? Number : pg.types.getTypeParser(oid, format),
};

/**
 * The options every server connection shares. The driver is node-postgres (npm `pg`): its
 * connection errors arrive as events a listener can take, where postgres.js 3.4.9 can throw
 * from a timer when Postgres restarts under load, which nothing can catch (connection.js:255).
 */
export function connectionOptions(url: string, name: string): pg.ClientConfig {
  return {
    connectionString: url,
    application_name: name,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    types: TYPES,
  };
}

/** How a server store connects besides its URL. */
export interface ServerOptions {
  /** Query connections in the pool (default 10). */
  max?: number;
  /** Names the connections (application_name), so operators can tell instances apart. */
  name?: string;
  /** Where the LISTEN connection goes when the query URL passes a transaction pooler. */
  listenUrl?: string | null;
}

/**
 * Connects to a Postgres server: a query pool plus one LISTEN connection of its own. A
 * connection that breaks (Postgres restarting, failing over) fails its queries with an error
 * and leaves the pool; nothing is thrown outside a query.
 */
export function openServer(url: string, options: ServerOptions = {}): Store {
  const name = options.name ?? "instance";
  const pool = new pg.Pool({ ...connectionOptions(url, `chat-${name}`), max: options.max ?? 10 });
  // An idle connection's error reaches the pool; one in use would be thrown by its client,
  // which has no listener while a query holds it: every client gets one for its whole life.
  pool.on("error", (error) => log.error(`Database connection lost: ${error.message}`));
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  // The listener names itself so operators (and tests) can find each instance's LISTEN session.
  const bus = serverBus(options.listenUrl ?? url, `chat-listener-${name}`);
  async function close() {
    await bus.stop();
    await db.destroy();
  }
  const stats = () => ({
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
  });
  return { db, bus, close, kind: "server", pool: stats };
}

/** "host:port, database d, user u" of a connection URL (never its password), for messages. */
export function databaseTarget(url: string): string {
  try {
    const u = new URL(url);
    const database = decodeURIComponent(u.pathname.slice(1)) || "(default)";
    const user = decodeURIComponent(u.username) || "(default)";
    return `${u.hostname}:${u.port || 5432}, database ${database}, user ${user}`;
  } catch {
    return "(an unreadable DATABASE_URL)";
  }
}

/** What opening a store reads from the configuration (config.ts). */
export interface StoreConfig {
  databaseUrl: string | null;
  dataDir: string | null;
  instanceId?: string;
  databaseListenUrl?: string | null;
  poolSize?: number;
}

/** Opens the configured database: a server when a URL is given, else embedded. */
export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.databaseUrl) {
    return openServer(config.databaseUrl, {
      name: config.instanceId,
      max: config.poolSize,
      listenUrl: config.databaseListenUrl,
    });
  }
  // Loaded only when needed so a server deployment never touches the WASM build or the disk.
  const { openEmbedded } = await import("./embedded.ts");
  const dataDir = config.dataDir === ":memory:" ? null : config.dataDir;
  return await openEmbedded(dataDir).catch((error) => {
    if (!(error instanceof Deno.errors.NotCapable)) throw error;
    // `deno task start` may write to .data only: say how to grant another folder.
    throw new Error(
      `the data folder ${dataDir} is not writable with this process's permissions: run with ` +
        `--allow-write=${dataDir} (deno task start allows .data only), or set DATABASE_URL`,
    );
  });
}
