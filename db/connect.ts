import { Kysely } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import type { Bus } from "./bus.ts";
import { serverBus } from "./bus_server.ts";
import type { Database } from "./schema.ts";

/** A database handle with its event bus. */
export interface Store {
  db: Kysely<Database>;
  bus: Bus;
  kind: "embedded" | "server";
  close(): Promise<void>;
}

/** Connects to a Postgres server: a query pool plus one LISTEN connection of its own. */
export function openServer(url: string, options: { max?: number; name?: string } = {}): Store {
  const pool = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // int8 (counts) as numbers: every int8 here is a count far below 2^53.
    types: { bigint: { to: 20, from: [20], serialize: String, parse: Number } },
  });
  const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: pool }) });
  // The listener names itself so operators (and tests) can find each instance's LISTEN session.
  const bus = serverBus(url, `chat-listener-${options.name ?? "instance"}`);
  async function close() {
    await bus.stop();
    await db.destroy();
  }
  return { db, bus, close, kind: "server" };
}

/** Opens the configured database: a server when a URL is given, else embedded. */
export async function openStore(
  config: { databaseUrl: string | null; dataDir: string | null; instanceId?: string },
): Promise<Store> {
  if (config.databaseUrl) return openServer(config.databaseUrl, { name: config.instanceId });
  // Loaded only when needed so a server deployment never touches the WASM build or the disk.
  const { openEmbedded } = await import("./embedded.ts");
  return await openEmbedded(config.dataDir === ":memory:" ? null : config.dataDir);
}
