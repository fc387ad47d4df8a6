// `deno task import [file]`: reads an export (the file, or stdin) into the configured
// database, which must be empty; it is migrated first. Imported people have no password: each
// signs in again through a reset link an admin makes for them.
import { readConfig } from "../config.ts";
import { configureLog, log } from "../log.ts";
import { openStore } from "./connect.ts";
import { importLines, ImportRefused, linesOf } from "./import.ts";
import { migrateToLatest } from "./migrate.ts";

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
} catch (error) {
  if (!(error instanceof ImportRefused)) throw error;
  log.error(`Nothing was imported: ${error.message}`);
  failed = true;
} finally {
  await store.close();
}
if (failed) Deno.exit(1);
