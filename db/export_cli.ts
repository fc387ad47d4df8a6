// `deno task export [file]`: writes the configured database's rooms, people and messages as
// JSON lines to the file, or to stdout. The embedded data folder is locked while a server uses
// it: stop the server first (or export from the server's Postgres).
import { readConfig } from "../config.ts";
import { configureLog, log } from "../log.ts";
import { openStore } from "./connect.ts";
import { writeExport } from "./export.ts";

const config = readConfig(Deno.env.toObject());
// Log lines go to stderr: stdout may be the export itself.
configureLog(config.log, (line) => console.error(line));
const path = Deno.args[0];
const store = await openStore(config).catch((error) => {
  log.error(`Cannot open the database: ${error instanceof Error ? error.message : error}`);
  Deno.exit(1);
});
let failed = false;
try {
  const file = path ? await Deno.open(path, { write: true, create: true, truncate: true }) : null;
  const counts = await writeExport(store.db, file ? file.writable : Deno.stdout.writable);
  log.info("Exported", { to: path ?? "stdout", ...counts });
} catch (error) {
  // An unmigrated or foreign database: say so in one line, not a stack.
  log.error(`Cannot export: ${error instanceof Error ? error.message : error}`);
  failed = true;
} finally {
  await store.close();
}
if (failed) Deno.exit(1);
