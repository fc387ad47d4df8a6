import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { sessionCookie } from "../fixtures/app.ts";
import { liveServer } from "../fixtures/server.ts";
import { waitUntil } from "../fixtures/wait.ts";

/** A bot's receiver: answers 500 to the first POST, 200 after; keeps what it got. */
function receiver() {
  const got: { body: string; headers: Headers }[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    got.push({ body: await req.text(), headers: req.headers });
    return new Response(got.length === 1 ? "down" : "ok", { status: got.length === 1 ? 500 : 200 });
  });
  const url = `http://127.0.0.1:${server.addr.port}/chat`;
  return { got, url, [Symbol.asyncDispose]: () => server.shutdown() };
}

function signed(secret: string, delivery: { body: string; headers: Headers }): boolean {
  const timestamp = delivery.headers.get("x-hyperchat-timestamp")!;
  const want = `sha256=${
    createHmac("sha256", secret).update(`${timestamp}.${delivery.body}`)
      .digest("hex")
  }`;
  const have = delivery.headers.get("x-hyperchat-signature") ?? "";
  return have.length === want.length && timingSafeEqual(Buffer.from(have), Buffer.from(want));
}

Deno.test("a mentioned bot's URL gets the message signed, a 500 is retried, and admins see both", async () => {
  await using hook = receiver();
  await using s = await liveServer();
  const ada = sessionCookie(
    await s.post("/signup", { username: "ada", password: "correct horse battery" }),
  );
  const made = await fetch(`${s.base}/admin/bots`, {
    method: "POST",
    headers: { origin: s.base, cookie: ada },
    body: new URLSearchParams({ username: "robo", webhook_url: hook.url }),
  });
  assert.equal(made.status, 201);
  const secret = /signing secret \(copy[^]*?value="([0-9a-f]{64})"/.exec(await made.text())?.[1];
  assert.ok(secret, "the signing secret is shown once");
  await s.post("/rooms", { name: "general" }, ada);
  await s.post("/rooms/general/messages", { body: "@robo deploy please" }, ada);

  // The admin page, read again until it shows `want` (the worker moves on its own clock).
  const adminPageShows = async (want: RegExp) => {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
      const page = await s.visit("/admin/bots", ada);
      if (want.test(page)) return page;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`The admin page never showed ${want}`);
  };
  await waitUntil(() => hook.got.length >= 1, "the first POST");
  const failed = await adminPageShows(/The URL answered 500/);
  assert.match(failed, /data-status="pending"/);
  await waitUntil(() => hook.got.length >= 2, "the retry", 10_000);
  await adminPageShows(/data-status="delivered"/);

  for (const delivery of hook.got) assert.ok(signed(secret, delivery), "the signature matches");
  const sent = JSON.parse(hook.got[1].body);
  assert.equal(sent.event, "mention");
  assert.equal(sent.bot, "robo");
  assert.equal(sent.author, "ada");
  assert.equal(sent.room, "general");
  assert.equal(sent.body, "@robo deploy please");
  assert.equal(hook.got[0].body, hook.got[1].body, "the retry sends the same payload");
});

Deno.test("a server stops within its budget while a bot's URL hangs", async () => {
  let arrived = false;
  const hanging = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async () => {
    arrived = true;
    await new Promise((resolve) => setTimeout(resolve, 6000));
    return new Response("late");
  });
  const s = await liveServer();
  try {
    const ada = sessionCookie(
      await s.post("/signup", { username: "ada", password: "correct horse battery" }),
    );
    const url = `http://127.0.0.1:${hanging.addr.port}/`;
    await s.post("/admin/bots", { username: "robo", webhook_url: url }, ada);
    await s.post("/rooms", { name: "general" }, ada);
    await s.post("/rooms/general/messages", { body: "hi @robo" }, ada);
    await waitUntil(() => arrived, "the POST to reach the hanging URL");
  } finally {
    const started = Date.now();
    await s.stop();
    assert.ok(Date.now() - started < 4500, `stopped in ${Date.now() - started} ms`);
    await hanging.shutdown();
  }
});
