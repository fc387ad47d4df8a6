// Start-up against a database that is not there: the process says what it tried and exits
// non-zero within seconds, whether the address refuses connections or never answers.
import assert from "node:assert/strict";
import { freePort } from "../fixtures/server.ts";

/** Runs `deno run main.ts` with `env`; returns its exit code, stderr and how long it took. */
async function startMain(env: Record<string, string>) {
  const began = Date.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "main.ts"],
    env: { PORT: "0", HOST: "127.0.0.1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const { code, stderr } = await child.output();
  clearTimeout(killer);
  return { code, stderr: new TextDecoder().decode(stderr), ms: Date.now() - began };
}

Deno.test("start-up against a refused database address fails fast and says what it tried", async () => {
  const port = freePort();
  const run = await startMain({ DATABASE_URL: `postgres://chat@127.0.0.1:${port}/team` });
  assert.notEqual(run.code, 0);
  assert.ok(run.ms < 10_000, `took ${run.ms} ms`);
  assert.match(run.stderr, new RegExp(`127\\.0\\.0\\.1:${port}, database team, user chat`));
  assert.match(run.stderr, /ECONNREFUSED/);
});

Deno.test("start-up against a database that never answers fails within 10 s", async () => {
  // A listening socket that accepts and never says a word (a blackholed address).
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  try {
    const { port } = listener.addr as Deno.NetAddr;
    const run = await startMain({ DATABASE_URL: `postgres://chat:secret@127.0.0.1:${port}/team` });
    assert.notEqual(run.code, 0);
    assert.ok(run.ms < 10_000, `took ${run.ms} ms`);
    assert.match(run.stderr, new RegExp(`127\\.0\\.0\\.1:${port}, database team, user chat`));
    assert.match(run.stderr, /timeout/i);
    assert.ok(!run.stderr.includes("secret"), "the password is never printed");
  } finally {
    listener.close();
    for (const conn of held) conn.close();
    await accepting.catch(() => {});
  }
});
