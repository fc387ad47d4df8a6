import type { Kysely } from "kysely";
import { type Migration, Migrator } from "kysely/migration";
import * as init from "./migrations/2026_11_21_0001_init.ts";
import * as revisions from "./migrations/2026_11_21_0002_revisions.ts";
import * as presence from "./migrations/2026_11_21_0003_presence.ts";
import * as inbox from "./migrations/2026_11_21_0004_inbox.ts";
import * as reactionsSearch from "./migrations/2026_11_21_0005_reactions_search.ts";
import * as admin from "./migrations/2026_11_21_0006_admin.ts";
import * as instanceBeats from "./migrations/2026_11_21_0007_instance_beats.ts";
import * as registration from "./migrations/2026_12_01_0001_registration.ts";
import * as publicArchives from "./migrations/2026_12_01_0002_public_archives.ts";
import * as files from "./migrations/2026_12_01_0003_files.ts";
import * as bots from "./migrations/2026_12_01_0004_bots.ts";
import * as archiveDays from "./migrations/2026_12_01_0005_archive_days.ts";

// Listed statically so the server needs no directory reads (Deno Deploy) and the order is
// explicit. Add each new migration file here.
const migrations: Record<string, Migration> = {
  "2026_11_21_0001_init": init,
  "2026_11_21_0002_revisions": revisions,
  "2026_11_21_0003_presence": presence,
  "2026_11_21_0004_inbox": inbox,
  "2026_11_21_0005_reactions_search": reactionsSearch,
  "2026_11_21_0006_admin": admin,
  "2026_11_21_0007_instance_beats": instanceBeats,
  "2026_12_01_0001_registration": registration,
  "2026_12_01_0002_public_archives": publicArchives,
  "2026_12_01_0003_files": files,
  "2026_12_01_0004_bots": bots,
  "2026_12_01_0005_archive_days": archiveDays,
};

/** Brings the schema up to date; throws with the failing migration's name. */
// deno-lint-ignore no-explicit-any
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    const name = failed ? ` "${failed.migrationName}"` : "";
    throw new Error(`Migration${name} failed: ${error instanceof Error ? error.message : error}`);
  }
  return (results ?? []).map((r) => r.migrationName);
}

/** Rolls every migration back, newest first (tests use this to prove `down` works). */
// deno-lint-ignore no-explicit-any
export async function migrateToBottom(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
  while (true) {
    const { error, results } = await migrator.migrateDown();
    if (error) throw error;
    if (!results?.length) return;
  }
}
