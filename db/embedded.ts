import { PGlite } from "@electric-sql/pglite";
import { Kysely } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import type { Bus } from "./bus.ts";
import { CHANNEL, parseEvent } from "./events.ts";
import type { Database } from "./schema.ts";

/** Holds an exclusive lock on the data folder so a second process cannot open it. */
async function lockDataDir(dataDir: string): Promise<Deno.FsFile> {
  await Deno.mkdir(dataDir, { recursive: true });
  const file = await Deno.open(`${dataDir}/.lock`, { create: true, write: true });
  const locked = file.lock(true).then(() => true);
  // A process stopping (the dev watcher restarting, a quick redeploy) lets go within a few
  // seconds; a second process that keeps running does not.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<boolean>((resolve) =>
    timer = setTimeout(() => resolve(false), 5000)
  );
  const got = await Promise.race([locked, timedOut]).finally(() => clearTimeout(timer));
  if (!got) {
    file.close();
    throw new Error(
      `Data folder ${dataDir} is in use by another process; stop it or set DATA_DIR elsewhere`,
    );
  }
  return file;
}

/** A data folder dump that in-memory databases start from (see startInMemoryFrom). */
let memoryTemplate: Blob | null = null;

/**
 * Makes every in-memory database start from `dump` (PGlite's dumpDataDir) instead of an empty
 * cluster: creating a cluster runs initdb, about 5 s of WASM, while loading a dump takes about
 * one. Tests load a migrated dump once per run (tests/fixtures/memory_template.ts).
 */
export function startInMemoryFrom(dump: Blob | null) {
  memoryTemplate = dump;
}

/** Opens the embedded Postgres; `dataDir` null keeps everything in memory (tests). */
export async function openEmbedded(dataDir: string | null) {
  const lock = dataDir ? await lockDataDir(dataDir) : null;
  const pg = dataDir
    ? new PGlite(`${dataDir}/pg`)
    : new PGlite(memoryTemplate ? { loadDataDir: memoryTemplate } : {});
  await pg.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pg) });
  let unlisten: (() => Promise<void>) | null = null;
  const bus: Bus = {
    async start(handlers) {
      unlisten = await pg.listen(CHANNEL, (payload) => {
        const event = parseEvent(payload);
        if (event) handlers.onEvent(event);
      });
      handlers.onListen();
    },
    restart: () => Promise.resolve(),
    isUp: () => !pg.closed,
    async stop() {
      await unlisten?.();
    },
  };
  async function close() {
    await db.destroy();
    if (!pg.closed) await pg.close();
    lock?.close();
  }
  return { db, bus, close, kind: "embedded" as const };
}
