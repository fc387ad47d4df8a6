// The export and import commands as an operator runs them, on a data folder and on Postgres.
import assert from "node:assert/strict";
import { openStore } from "../../db/connect.ts";
import { migrateToLatest } from "../../db/migrate.ts";
import { findReset } from "../../db/password_resets.ts";
import { person, room } from "../fixtures/people.ts";
import { freshDatabase, SERVER_URL } from "../support.ts";

/** Runs db/<name>_cli.ts with `env` and `args`; returns its exit code and stderr. */
async function run(name: string, env: { [name: string]: string | undefined }, args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", `db/${name}_cli.ts`, ...args],
    env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

/** Two empty databases of one kind, as the environment a command gets, and their cleanup. */
async function twoDatabases(kind: "folder" | "server") {
  if (kind === "server") {
    const [a, b] = [await freshDatabase(SERVER_URL!), await freshDatabase(SERVER_URL!)];
    const drop = async () => (await a.drop(), await b.drop());
    return { from: { DATABASE_URL: a.url }, to: { DATABASE_URL: b.url }, drop };
  }
  const [a, b] = [await Deno.makeTempDir(), await Deno.makeTempDir()];
  const drop = async () => {
    await Deno.remove(a, { recursive: true });
    await Deno.remove(b, { recursive: true });
  };
  // An empty DATABASE_URL overrides one the test runner may have: these use the folders.
  return { from: { DATA_DIR: a, DATABASE_URL: "" }, to: { DATA_DIR: b, DATABASE_URL: "" }, drop };
}

/** Opens a database by the environment the commands get, migrated. */
async function open(env: { DATABASE_URL?: string; DATA_DIR?: string }) {
  const store = await openStore({
    databaseUrl: env.DATABASE_URL || null,
    dataDir: env.DATA_DIR ?? null,
  });
  await migrateToLatest(store.db);
  return store;
}

for (const kind of SERVER_URL ? ["folder", "server"] as const : ["folder"] as const) {
  Deno.test(`${kind}: deno task export writes a file that deno task import reads back`, async () => {
    const dbs = await twoDatabases(kind);
    const file = await Deno.makeTempFile({ suffix: ".jsonl" });
    try {
      const source = await open(dbs.from);
      const ada = await person(source.db, "ada", "admin");
      const lounge = await room(source.db, "lounge", { members: [ada] });
      await source.close();
      const exported = await run("export", dbs.from, [file]);
      assert.equal(exported.code, 0, exported.stderr);
      assert.match(exported.stderr, /Exported .*room=1/);
      const imported = await run("import", dbs.to, [file]);
      assert.equal(imported.code, 0, imported.stderr);
      // Nobody has a password now: the admin gets a link to set one.
      const link = imported.stderr.match(/Admin's password link user=ada link=\/reset\/(\S+)/);
      assert.ok(link, imported.stderr);
      const again = await run("import", dbs.to, [file]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /Nothing was imported: The database is not empty/);
      const target = await open(dbs.to);
      const rooms = await target.db.selectFrom("rooms").select(["id", "slug"]).execute();
      const reset = await findReset(target.db, link[1]);
      await target.close();
      assert.ok("user" in reset && reset.user.id === ada.id, "the link is ada's");
      assert.deepEqual(rooms, [{ id: lounge.id, slug: "lounge" }]);
    } finally {
      await Deno.remove(file);
      await dbs.drop();
    }
  });
}
