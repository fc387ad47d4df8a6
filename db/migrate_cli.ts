// `deno task migrate`: brings the configured database up to date, then exits.
import { readConfig } from "../config.ts";
import { openStore } from "./connect.ts";
import { migrateToLatest } from "./migrate.ts";

const config = readConfig(Deno.env.toObject());
const store = await openStore(config);
try {
  const applied = await migrateToLatest(store.db);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Already up to date");
} finally {
  await store.close();
}
