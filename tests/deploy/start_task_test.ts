// One small box: the exact command of `deno task start`, with no DATABASE_URL, runs the embedded
// database in a folder under .data (the only place it may write), serves a person from sign-up
// to a message, keeps it all across a restart, and stops on SIGINT within Deploy's 5 s.
import assert from "node:assert/strict";
import { formInit, sessionCookie } from "../fixtures/app.ts";
import { freePort } from "../fixtures/server.ts";

const ROOT = new URL("../../", import.meta.url);

/** The start task's arguments after `deno`, read from deno.json so the test runs what ships. */
async function startArgs(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const task: string = config.tasks.start;
  assert.match(task, /^deno run [^&|;]+ main\.ts$/, "the start task is one plain deno run");
  return task.split(" ").slice(1);
}

/** Only what Deno itself needs from the environment: no DATABASE_URL leaks in. */
function baseEnv(): Record<string, string> {
  const keep = ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME", "TMPDIR"];
  return Object.fromEntries(keep.flatMap((k) => Deno.env.get(k) ? [[k, Deno.env.get(k)!]] : []));
}

/** The start task running with `env`; disposing kills it if it is still running. */
async function startTask(env: Record<string, string>) {
  const child = new Deno.Command(Deno.execPath(), {
    args: await startArgs(),
    cwd: ROOT,
    clearEnv: true,
    env: { ...baseEnv(), HOST: "127.0.0.1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  let exited = false;
  output.finally(() => exited = true);
  return {
    child,
    output,
    exited: () => exited,
    async [Symbol.asyncDispose]() {
      if (!exited) child.kill("SIGKILL");
      await output;
    },
  };
}

/**
 * Polls /healthz until it answers ok. A fresh data folder is made by initdb inside WebAssembly:
 * seconds on an idle machine, close to a minute on a busy one.
 */
async function healthy(base: string, task: { exited(): boolean }) {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline && !task.exited();) {
    const res = await fetch(`${base}/healthz`).catch(() => null);
    if (res?.ok) return await res.json();
    await res?.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the start task never became healthy");
}

/** Sends SIGINT; returns how long the process took to exit and its exit code. */
async function interrupt(task: Awaited<ReturnType<typeof startTask>>) {
  const sent = Date.now();
  task.child.kill("SIGINT");
  const { code } = await task.output;
  return { ms: Date.now() - sent, code };
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
