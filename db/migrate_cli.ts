// `deno task migrate`: brings the configured database up to date, then exits.
import { readConfig } from "../config.ts";
import { openStore } from "./connect.ts";
import { migrateToLatest } from "./migrate.ts";
import { configureLog, log } from "../log.ts";

const config = readConfig(Deno.env.toObject());
configureLog(config.log);
const store = await openStore(config);
try {
  const applied = await migrateToLatest(store.db);
  log.info(applied.length ? `Applied: ${applied.join(", ")}` : "Already up to date");
} finally {
  await store.close();
}
