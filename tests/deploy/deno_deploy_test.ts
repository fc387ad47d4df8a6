// Deno Deploy, as its documentation describes it: deno.json's deploy section names the
// pre-deploy command and the entrypoint; the pre-deploy command runs with the linked database's
// DATABASE_URL, then the entrypoint runs with all permissions and no flags, is warmed up with
// GET /, and is sent SIGINT, then killed 5 s later.
import assert from "node:assert/strict";
import postgres from "postgres";
import { freePort } from "../fixtures/server.ts";
import { freshDatabase, SERVER_URL } from "../fixtures/store.ts";
import { denoConfig, denoProcess, healthy, interrupt } from "./process.ts";

Deno.test("deno.json's deploy section migrates first, then serves main.ts", async () => {
  const { deploy, tasks } = await denoConfig();
  assert.deepEqual(deploy.runtime, { type: "dynamic", entrypoint: "main.ts" });
  assert.equal(deploy.predeploy, "deno task migrate");
  assert.ok(tasks.migrate, "the migrate task exists");
});

Deno.test(
  "as Deno Deploy runs it: pre-deploy migrates, the entrypoint serves GET / and stops on SIGINT",
  { ignore: !SERVER_URL },
  async () => {
    const { deploy } = await denoConfig();
    await using fresh = await freshDatabase(SERVER_URL!);
    const env = { DATABASE_URL: fresh.url };
    {
      await using predeploy = denoProcess(deploy.predeploy.split(" ").slice(1), env);
      const { code, stderr } = await predeploy.output;
      assert.equal(code, 0, new TextDecoder().decode(stderr));
    }
    const sql = postgres(fresh.url, { max: 1, onnotice: () => {} });
    const [{ count }] = await sql`select count(*)::int as count from kysely_migration`;
    await sql.end();
    assert.ok(count > 0, "the pre-deploy command applied the migrations");

    const port = freePort();
    const args = ["run", "--allow-all", deploy.runtime.entrypoint];
    await using app = denoProcess(args, { ...env, PORT: String(port), HOST: "127.0.0.1" });
    await healthy(`http://127.0.0.1:${port}`, app);
    const warmUp = await fetch(`http://127.0.0.1:${port}/`);
    await warmUp.body?.cancel();
    assert.equal(warmUp.status, 200);
    const stopped = await interrupt(app);
    assert.equal(stopped.code, 0);
    assert.ok(stopped.ms < 5000, `stopped ${stopped.ms} ms after SIGINT`);
  },
);
