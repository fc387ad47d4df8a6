// Presence and typing across instances on one real Postgres, including an instance that dies
// without saying goodbye. Needs TEST_DATABASE_URL (CI always sets it).
import assert from "node:assert/strict";
import postgres from "postgres";
import { lastOnline, notices, typingLines } from "../fixtures/frames.ts";
import { startServer } from "../fixtures/server.ts";
import { sseClient } from "../fixtures/sse.ts";
import { freshDatabase, SERVER_URL } from "../fixtures/store.ts";
import { waitUntil } from "../fixtures/wait.ts";
import { wsClient } from "../fixtures/ws.ts";

const options = { ignore: !SERVER_URL };
const FAST = { PRESENCE_SWEEP_MS: "200", PRESENCE_STALE_MS: "1000" };
// Unique instance names: other suites on the same Postgres kill listeners by name.
const run = crypto.randomUUID().slice(0, 6);
const [A, B] = [`people-a-${run}`, `people-b-${run}`];

/** Instance B in-process on a fresh database, with ana and bob in the open room "shared". */
async function setUp() {
  const fresh = await freshDatabase(SERVER_URL!);
  const b = await startServer({ DATABASE_URL: fresh.url, INSTANCE_ID: B, ...FAST });
  const ana = await b.guest("ana");
  const bob = await b.guest("bob");
  await b.post("/rooms", { name: "shared" }, bob);
  const stop = async () => (await b.stop(), await fresh.drop());
  return { fresh, b, ana, bob, stop, [Symbol.asyncDispose]: stop };
}

/** Instance A as its own process, so it can be killed without any goodbye. */
async function spawnInstance(url: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    cwd: new URL("../../", import.meta.url).pathname,
    env: { DATABASE_URL: url, PORT: "0", HOST: "127.0.0.1", INSTANCE_ID: A, ...FAST },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!/localhost:(\d+)/.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`Instance A exited before listening: ${out}`);
    out += value;
  }
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  const kill = async () => {
    try {
      child.kill("SIGKILL");
    } catch { /* already dead */ }
    await child.status;
  };
  return {
    child,
    base: `http://127.0.0.1:${out.match(/localhost:(\d+)/)![1]}`,
    [Symbol.asyncDispose]: kill,
  };
}

Deno.test(
  "a person online on one instance is seen on another, and drops off when that instance is killed",
  options,
  async () => {
    await using t = await setUp();
    await using a = await spawnInstance(t.fresh.url);
    const bobOnB = await wsClient(t.b.base, "shared", t.bob);
    await waitUntil(() => lastOnline(bobOnB.frames)?.join() === "bob", "bob online");
    const anaOnA = await wsClient(a.base, "shared", t.ana);
    await bobOnB.waitForFrame(/ana joined/);
    assert.deepEqual(lastOnline(bobOnB.frames)!.sort(), ["ana", "bob"]);
    a.child.kill("SIGKILL");
    await a.child.status;
    const killedAt = Date.now();
    await bobOnB.waitForFrame(/ana left/);
    // Stale after 1 s, swept every 0.2 s: well within ten seconds even on a busy machine.
    assert.ok(Date.now() - killedAt < 10_000, `ana left after ${Date.now() - killedAt} ms`);
    assert.deepEqual(lastOnline(bobOnB.frames), ["bob"]);
    assert.deepEqual(notices(bobOnB.frames).filter((n) => n.startsWith("ana")), [
      "ana joined",
      "ana left",
    ]);
    bobOnB.close();
    await anaOnA.closed;
  },
);

Deno.test(
  "two tabs on two instances are one person online, who leaves only when the last closes",
  options,
  async () => {
    await using t = await setUp();
    await using a = await startServer({ DATABASE_URL: t.fresh.url, INSTANCE_ID: A, ...FAST });
    const bobOnB = await wsClient(t.b.base, "shared", t.bob);
    await waitUntil(() => lastOnline(bobOnB.frames) !== null, "bob's online list");
    const tabOnA = await wsClient(a.base, "shared", t.ana);
    const tabOnB = await sseClient(t.b.base, "shared", t.ana);
    await bobOnB.waitForFrame(/ana joined/);
    await waitUntil(() => lastOnline(tabOnB.frames()) !== null, "ana's second tab list");
    assert.deepEqual(lastOnline(tabOnB.frames())!.sort(), ["ana", "bob"]);
    tabOnA.close();
    await tabOnA.closed;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const anas = () => notices(bobOnB.frames).filter((n) => n.startsWith("ana"));
    assert.deepEqual(anas(), ["ana joined"], "one join, and no leave while a tab is open");
    await tabOnB.close();
    await bobOnB.waitForFrame(/ana left/);
    assert.deepEqual(anas(), ["ana joined", "ana left"]);
    assert.deepEqual(lastOnline(bobOnB.frames), ["bob"]);
    bobOnB.close();
  },
);

Deno.test(
  "typing reaches everyone else on every instance, rate-limited, and clears when the message lands",
  options,
  async () => {
    await using t = await setUp();
    await using a = await startServer({ DATABASE_URL: t.fresh.url, INSTANCE_ID: A, ...FAST });
    const anaWs = await wsClient(a.base, "shared", t.ana);
    const anaSse = await sseClient(t.b.base, "shared", t.ana);
    const bobWs = await wsClient(a.base, "shared", t.bob);
    const bobSse = await sseClient(t.b.base, "shared", t.bob);
    await bobWs.waitForFrame(/ana joined|Online now \(2\)/);
    for (let i = 0; i < 10; i++) anaWs.send({ typing: true });
    await bobWs.waitForFrame(/ana is typing…/);
    await waitUntil(() => typingLines(bobSse.frames()).includes("ana is typing…"), "SSE typing");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const shown = typingLines(bobWs.frames).filter((l) => l === "ana is typing…").length;
    assert.ok(shown >= 1 && shown <= 2, `ten typing frames were shown ${shown} times`);
    assert.deepEqual(typingLines(anaWs.frames), [], "never back to the typer");
    assert.deepEqual(typingLines(anaSse.frames()), [], "nor to the typer's other tab");
    anaWs.send({ body: "here it is", client_id: "t1" });
    await waitUntil(() => typingLines(bobWs.frames).at(-1) === "", "cleared on WebSocket");
    await waitUntil(() => typingLines(bobSse.frames()).at(-1) === "", "cleared on SSE");
    for (const c of [anaWs, bobWs]) c.close();
    for (const c of [anaSse, bobSse]) await c.close();
  },
);

Deno.test(
  "after its LISTEN connection is lost, an instance re-sends the online list it may have missed",
  options,
  async () => {
    const t = await setUp();
    const admin = postgres(SERVER_URL!, { max: 1, onnotice: () => {} });
    try {
      const bobOnB = await wsClient(t.b.base, "shared", t.bob);
      await waitUntil(() => lastOnline(bobOnB.frames)?.join() === "bob", "bob online");
      const lists = () => bobOnB.frames.filter((f) => f.includes('<section id="online"')).length;
      // Bob's arrival and his join event go out as one list (one presence batch); let any
      // later batch pass before counting.
      await waitUntil(() => lists() >= 1, "bob's first list");
      await new Promise((resolve) => setTimeout(resolve, 600));
      const before = lists();
      // Only this test's database: other suites may run an "inst-b" at the same time.
      const database = new URL(t.fresh.url).pathname.slice(1);
      let killed = false;
      for (let tries = 0; tries < 500 && !killed; tries++) {
        const rows = await admin`select pg_terminate_backend(pid) as ok from pg_stat_activity
          where application_name = ${`chat-listener-${B}`} and datname = ${database}`;
        killed = rows.some((r) => r.ok);
        if (!killed) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.ok(killed, "terminated B's listener");
      await waitUntil(() => lists() > before, "the list re-sent after the reconnect");
      assert.deepEqual(lastOnline(bobOnB.frames), ["bob"]);
      bobOnB.close();
    } finally {
      await admin.end();
      await t.stop();
    }
  },
);
