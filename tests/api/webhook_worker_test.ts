import assert from "node:assert/strict";
import { createBot, webhookUrlProblem } from "../../db/bots.ts";
import { sendWithMentions } from "../../db/mentions.ts";
import { findUserById } from "../../db/users.ts";
import { WebhookWorker } from "../../live/webhook_worker.ts";
import { person, room } from "../fixtures/people.ts";
import { storeForFile } from "../fixtures/store.ts";
import { waitUntil } from "../fixtures/wait.ts";

const store = await storeForFile();
const db = store.db;
const FAST = { pollMs: 20, baseDelayMs: 20, maxAttempts: 3 };

/** A receiver answering `status` to every POST, counting them. */
function receiver(status: number) {
  let count = 0;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    count++;
    await req.body?.cancel();
    return new Response(null, { status });
  });
  const url = `http://127.0.0.1:${server.addr.port}/`;
  return { url, count: () => count, [Symbol.asyncDispose]: () => server.shutdown() };
}

/** Ada mentions a bot whose URL is `url` in an open room. */
async function mention(url: string) {
  const ada = await person(db, "ada", "admin");
  const general = await room(db, "general", { members: [ada] });
  const actor = (await findUserById(db, ada.id))!;
  const made = await createBot(db, { actor, username: "robo", webhookUrl: url });
  if (!made.ok) throw new Error(made.reason);
  const input = { roomId: general.id, authorId: ada.id, body: "@robo hi", clientId: null };
  await sendWithMentions(db, input, ["robo"]);
}

async function delivery() {
  return await db.selectFrom("webhook_deliveries").selectAll().executeTakeFirstOrThrow();
}

Deno.test("a URL that keeps failing is tried maxAttempts times, then marked failed", async () => {
  await using hook = receiver(503);
  await mention(hook.url);
  const worker = new WebhookWorker(db, FAST);
  worker.start();
  try {
    await waitUntil(() => hook.count() >= 3, "three attempts");
    let row = await delivery();
    for (let i = 0; row.status !== "failed" && i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      row = await delivery();
    }
    assert.equal(row.status, "failed");
    assert.equal(row.attempts, 3);
    assert.equal(row.last_status, 503);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(hook.count(), 3, "no attempt after the last");
  } finally {
    await worker.stop();
  }
});

Deno.test("two workers deliver a mention once", async () => {
  await using hook = receiver(200);
  await mention(hook.url);
  const workers = [new WebhookWorker(db, FAST), new WebhookWorker(db, FAST)];
  workers.forEach((w) => w.start());
  try {
    await waitUntil(() => hook.count() >= 1, "the delivery");
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(hook.count(), 1);
    assert.equal((await delivery()).status, "delivered");
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
});

Deno.test("a webhook URL must be http or https", () => {
  assert.equal(webhookUrlProblem(""), null);
  assert.equal(webhookUrlProblem("https://example.com/hook"), null);
  for (const bad of ["ftp://example.com/", "javascript:alert(1)", "file:///etc/passwd", "nope"]) {
    assert.match(webhookUrlProblem(bad)!, /http/, bad);
  }
});
