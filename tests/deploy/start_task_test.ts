// One small box: the exact command of `deno task start`, with no DATABASE_URL, runs the embedded
// database in a folder under .data (the only place it may write), serves a person from sign-up
// to a message, keeps it all across a restart, and stops on SIGINT within Deploy's 5 s.
import assert from "node:assert/strict";
import { formInit, sessionCookie } from "../fixtures/app.ts";
import { freePort } from "../fixtures/server.ts";
import { denoConfig, denoProcess, healthy, interrupt, ROOT } from "./process.ts";

/** The start task's arguments after `deno`, read from deno.json so the test runs what ships. */
async function startArgs(): Promise<string[]> {
  const task: string = (await denoConfig()).tasks.start;
  assert.match(task, /^deno run [^&|;]+ main\.ts$/, "the start task is one plain deno run");
  return task.split(" ").slice(1);
}

/** The start task running with `env` (no DATABASE_URL). */
async function startTask(env: Record<string, string>) {
  return denoProcess(await startArgs(), { HOST: "127.0.0.1", ...env });
}

Deno.test("deno task start runs the embedded database, serves and stops on SIGINT within 5 s", async () => {
  const dataDir = `.data/test-start-${crypto.randomUUID().slice(0, 8)}`;
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const post = async (path: string, fields: Record<string, string>, cookie = "") => {
    const res = await fetch(`${base}${path}`, formInit(fields, { origin: base, cookie }));
    await res.body?.cancel();
    return res;
  };
  try {
    let cookie: string;
    {
      await using task = await startTask({ PORT: String(port), DATA_DIR: dataDir });
      const health = await healthy(base, task);
      assert.deepEqual([health.ok, health.db, health.listener], [true, "up", "up"]);
      const signup = await post("/signup", { username: "owner", password: "correct horse 9" });
      assert.equal(signup.status, 303);
      cookie = sessionCookie(signup);
      assert.equal((await post("/rooms", { name: "general" }, cookie)).status, 303);
      const sent = await post("/rooms/general/messages", { body: "hello from one box" }, cookie);
      assert.equal(sent.status, 303);
      const stopped = await interrupt(task);
      assert.equal(stopped.code, 0);
      assert.ok(stopped.ms < 5000, `stopped ${stopped.ms} ms after SIGINT`);
    }
    await using again = await startTask({ PORT: String(port), DATA_DIR: dataDir });
    await healthy(base, again);
    const page = await (await fetch(`${base}/rooms/general`, { headers: { cookie } })).text();
    assert.match(page, /hello from one box/, "the message and the session outlive a restart");
    assert.equal((await interrupt(again)).code, 0);
  } finally {
    await Deno.remove(new URL(dataDir, ROOT), { recursive: true }).catch(() => {});
  }
});

Deno.test("deno task start names the flag a data folder outside .data needs", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "chat-data-" });
  try {
    await using task = await startTask({ PORT: "0", DATA_DIR: `${dataDir}/db` });
    const { code, stderr } = await task.output;
    assert.notEqual(code, 0);
    const said = new TextDecoder().decode(stderr);
    assert.match(said, new RegExp(`--allow-write=${dataDir}/db`), said);
    assert.match(said, /or set DATABASE_URL/);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
