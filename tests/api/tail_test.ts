import assert from "node:assert/strict";
import { revokeApiToken } from "../../db/api_tokens.ts";
import { createBot } from "../../db/bots.ts";
import { reviseMessage } from "../../db/messages.ts";
import { findUserById } from "../../db/users.ts";
import { person, room } from "../fixtures/people.ts";
import { serveApp } from "../fixtures/server.ts";
import { STORES } from "../fixtures/store.ts";
import { waitUntil } from "../fixtures/wait.ts";
import { tailProcess } from "./curl.ts";

type Served = Awaited<ReturnType<typeof serveApp>>;

async function botToken(s: Served) {
  const ada = await person(s.db, "ada", "admin");
  const made = await createBot(s.db, {
    actor: (await findUserById(s.db, ada.id))!,
    username: "ana",
    webhookUrl: "",
  });
  if (!made.ok) throw new Error(made.reason);
  await room(s.db, "general");
  return made.token;
}

async function say(s: Served, token: string, body: string): Promise<number> {
  const res = await fetch(`${s.base}/rooms/general/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, accept: "application/json" },
    body: new URLSearchParams({ body }),
  });
  assert.equal(res.status, 201);
  return (await res.json()).version;
}

for (const kind of STORES) {
  Deno.test(`curl -N tails a room as text lines and resumes with Last-Event-ID (${kind})`, async () => {
    await using s = await serveApp(kind);
    const token = await botToken(s);
    const auth = `Authorization: Bearer ${token}`;
    const url = `${s.base}/rooms/general/events`;
    let first: number;
    {
      await using tail = tailProcess("curl", ["-sN", "-H", auth, url]);
      // Once the tail is open its cursor is set: a message before that would be history.
      await waitUntil(() => s.deps.hub.openByTransport().sse === 1, "the tail to open");
      first = await say(s, token, "hello");
      await tail.waitFor(1);
      assert.match(tail.lines[0], /^\d\d:\d\d ana: hello$/);
    }
    await say(s, token, "second\nline");
    await say(s, token, "third");
    await using resumed = tailProcess("curl", [
      "-sN",
      "-H",
      auth,
      "-H",
      `Last-Event-ID: ${first}`,
      `${url}?ids&tz=Asia/Kolkata`,
    ]);
    await resumed.waitFor(2);
    assert.match(resumed.lines[0], new RegExp(`^${first + 1} \\d\\d:\\d\\d ana: second ↵ line$`));
    assert.match(resumed.lines[1], new RegExp(`^${first + 2} \\d\\d:\\d\\d ana: third$`));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(resumed.lines.length, 2, "only the newer lines");
  });
}

Deno.test("Accept: application/json tails as one JSON object per line, resumable with ?after=", async () => {
  await using s = await serveApp();
  const token = await botToken(s);
  const v1 = await say(s, token, "one");
  await say(s, token, "two");
  const controller = new AbortController();
  const res = await fetch(`${s.base}/rooms/general/events?after=${v1}`, {
    headers: { authorization: `Bearer ${token}`, accept: "application/json" },
    signal: controller.signal,
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /^application\/x-ndjson/);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) text += (await reader.read()).value;
  const event = JSON.parse(text.split("\n")[0]);
  assert.deepEqual(Object.keys(event).sort(), [
    "author",
    "body",
    "created_at",
    "id",
    "kind",
    "room",
    "version",
  ]);
  assert.equal(event.body, "two");
  assert.equal(event.author, "ana");
  assert.equal(event.room, "general");
  assert.equal(event.kind, "message");
  assert.equal(event.version, v1 + 1);
  controller.abort();
  await reader.cancel().catch(() => {});
});

Deno.test("a bad tz is a 400 with the reason", async () => {
  await using s = await serveApp();
  const token = await botToken(s);
  const res = await fetch(`${s.base}/rooms/general/events?tz=Mars/Olympus`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /Unknown time zone/);
});

Deno.test("edits and deletions come as lines of their own, in text and in JSON", async () => {
  await using s = await serveApp();
  const token = await botToken(s);
  await say(s, token, "one");
  await say(s, token, "two");
  const [one, two] = await s.db.selectFrom("messages").selectAll().orderBy("seq").execute();
  const change = (m: typeof one, body: string | null) =>
    reviseMessage(s.db, { messageId: m.id, roomId: m.room_id, editorId: m.author_id, body });
  await change(one, "uno");
  await change(two, null);
  const read = async (accept: string) => {
    const controller = new AbortController();
    const res = await fetch(`${s.base}/rooms/general/events?after=2`, {
      headers: { authorization: `Bearer ${token}`, accept },
      signal: controller.signal,
    });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (text.split("\n").length < 3) text += (await reader.read()).value;
    controller.abort();
    await reader.cancel().catch(() => {});
    return text.trim().split("\n");
  };
  const text = await read("text/plain");
  assert.match(text[0], /^\d\d:\d\d ana edited: uno$/);
  assert.match(text[1], /^\d\d:\d\d ana deleted a message$/);
  const json = (await read("application/json")).map((line) => JSON.parse(line));
  assert.deepEqual(json.map((e) => [e.kind, e.body, e.version]), [["edit", "uno", 3], [
    "delete",
    null,
    4,
  ]]);
});

Deno.test("revoking a token ends its open tail", async () => {
  await using s = await serveApp();
  const token = await botToken(s);
  await using tail = tailProcess("curl", [
    "-sN",
    "-H",
    `Authorization: Bearer ${token}`,
    `${s.base}/rooms/general/events`,
  ]);
  await waitUntil(() => s.deps.hub.openByTransport().sse === 1, "the tail to open");
  const [id] = token.split(".");
  const bot = await s.db.selectFrom("api_tokens").select("user_id").where("id", "=", id)
    .executeTakeFirstOrThrow();
  assert.ok(await revokeApiToken(s.db, { userId: bot.user_id, tokenId: id }));
  await waitUntil(() => s.deps.hub.openByTransport().sse === 0, "the tail to end", 5000);
  assert.equal((await tail.status).code, 0, "curl saw the stream end");
});
