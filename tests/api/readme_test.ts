import assert from "node:assert/strict";
import { createBot } from "../../db/bots.ts";
import { findUserById } from "../../db/users.ts";
import { createRoomHook } from "../../db/webhooks.ts";
import { person, room } from "../fixtures/people.ts";
import { serveApp } from "../fixtures/server.ts";

/** The fenced `sh` blocks under the README's "Bots and API" heading, in order. */
async function examples(): Promise<string[]> {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const start = readme.indexOf("\n## Bots and API\n");
  assert.ok(start >= 0, "the README has a Bots and API section");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sh\n([^]*?)```/g)].map((m) => m[1]);
}

/** Runs one example with sh and real curl; a tail is stopped after `seconds`. */
async function run(block: string, env: Record<string, string>, seconds = 3) {
  const args = ["-s", "TERM", String(seconds), "sh", "-c", block];
  const out = await new Deno.Command("timeout", { args, env, stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout);
}

Deno.test("the README's bot and API examples work as written", async () => {
  await using s = await serveApp();
  const ada = await person(s.db, "ada", "admin");
  const actor = (await findUserById(s.db, ada.id))!;
  await room(s.db, "general");
  const bot = await createBot(s.db, { actor, username: "ci", webhookUrl: "" });
  if (!bot.ok) throw new Error(bot.reason);
  const hook = await createRoomHook(s.db, { actor, roomSlug: "general", botId: bot.bot.id });
  const env = {
    TOKEN: bot.token,
    HOOK_URL: `${s.base}/hooks/${(hook as { token: string }).token}`,
  };
  const blocks = (await examples()).map((b) => b.replaceAll("http://localhost:8000", s.base));
  assert.equal(blocks.length, 4, "send, tail as text, tail as JSON, incoming webhook");
  const [send, textTail, jsonTail, incoming] = blocks;

  const sent = (await run(send, env)).trim().split("\n");
  assert.match(sent[0], /^[0-9A-Z]{26}$/, "a form post answers the id as text");
  assert.equal(JSON.parse(sent[1]).version, 2, "a JSON post answers JSON");

  const hooked = JSON.parse(await run(incoming, env));
  assert.match(hooked.id, /^[0-9A-Z]{26}$/);

  const lines = (await run(textTail, env)).trim().split("\n");
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^1 \d\d:\d\d ci: hello$/);
  assert.match(lines[1], /^2 \d\d:\d\d ci: deploy \*\*done\*\*$/);
  assert.match(lines[2], /^3 \d\d:\d\d ci: build 42 passed$/);

  const events = (await run(jsonTail, env)).trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(events.map((e) => [e.version, e.author, e.body, e.kind]), [
    [1, "ci", "hello", "message"],
    [2, "ci", "deploy **done**", "message"],
    [3, "ci", "build 42 passed", "message"],
  ]);
});
