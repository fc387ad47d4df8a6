// `deno task import [file]`: reads an export (the file, or stdin) into the configured
// database, which must be empty; it is migrated first. Imported people have no password: each
// signs in again through a reset link: the command prints one for each admin (24 h, once), and
// admins make them for everyone else on /admin/users.
import type { Kysely } from "kysely";
import { readConfig } from "../config.ts";
import { configureLog, log } from "../log.ts";
import { openStore } from "./connect.ts";
import { importLines, ImportRefused, linesOf } from "./import.ts";
import { migrateToLatest } from "./migrate.ts";
import { createReset } from "./password_resets.ts";
import type { Database } from "./schema.ts";

/** Nobody has a password after an import: each admin gets a link to set one. */
async function resetLinksForAdmins(db: Kysely<Database>, origin: string) {
  const admins = await db.selectFrom("users").selectAll().where("role", "=", "admin")
    .where("deactivated_at", "is", null).execute();
  for (const user of admins) {
    const token = await createReset(db, { user, actor: null });
    log.info("Admin's password link", { user: user.username, link: `${origin}/reset/${token}` });
  }
}

const config = readConfig(Deno.env.toObject());
configureLog(config.log, (line) => console.error(line));
const path = Deno.args[0];
const store = await openStore(config).catch((error) => {
  log.error(`Cannot open the database: ${error instanceof Error ? error.message : error}`);
  Deno.exit(1);
});
let failed = false;
try {
  await migrateToLatest(store.db);
  const input = path ? (await Deno.open(path)).readable : Deno.stdin.readable;
  const counts = await importLines(store.db, linesOf(input));
  log.info("Imported", { from: path ?? "stdin", ...counts });
  await resetLinksForAdmins(store.db, config.origins[0] ?? "");
} catch (error) {
  if (!(error instanceof ImportRefused)) throw error;
  log.error(`Nothing was imported: ${error.message}`);
  failed = true;
} finally {
  await store.close();
}
if (failed) Deno.exit(1);
