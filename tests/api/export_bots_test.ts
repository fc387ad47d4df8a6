import assert from "node:assert/strict";
import { createApiToken } from "../../db/api_tokens.ts";
import { createBot, listBots, setWebhookUrl } from "../../db/bots.ts";
import { exportLines } from "../../db/export.ts";
import { importLines } from "../../db/import.ts";
import { findUserById } from "../../db/users.ts";
import { createRoomHook } from "../../db/webhooks.ts";
import { person, room } from "../fixtures/people.ts";
import { testStore } from "../fixtures/store.ts";

Deno.test("an export keeps a bot's flag but none of its tokens or secrets; an import's bot gets a new secret", async () => {
  await using from = await testStore();
  const ada = await person(from.db, "ada", "admin");
  const actor = (await findUserById(from.db, ada.id))!;
  await room(from.db, "general");
  const made = await createBot(from.db, { actor, username: "robo", webhookUrl: "https://x.test/" });
  if (!made.ok) throw new Error(made.reason);
  const personal = await createApiToken(from.db, { userId: ada.id, name: "mine" });
  const hook = await createRoomHook(from.db, { actor, roomSlug: "general", botId: made.bot.id });
  await setWebhookUrl(from.db, { actor, botId: made.bot.id, url: "https://z.test/" });
  const lines = await Array.fromAsync(exportLines(from.db));
  const all = lines.join("");
  const secrets = [made.token, made.signingSecret, personal, (hook as { token: string }).token];
  for (const secret of secrets) {
    assert.ok(!all.includes(secret.split(".").pop()!), "no secret is exported");
  }
  for (const table of ["api_tokens", "bots", "room_hooks", "webhook_deliveries", ".test/"]) {
    assert.ok(!all.includes(table), `${table} is not exported`);
  }
  const bot = lines.map((l) => JSON.parse(l)).find((l) => l.row?.username === "robo");
  assert.equal(bot.row.bot, true);

  await using to = await testStore();
  await importLines(
    to.db,
    (async function* () {
      yield* lines;
    })(),
  );
  const [imported] = await listBots(to.db);
  assert.deepEqual([imported.username, imported.webhook_url], ["robo", null]);
  const admin = (await findUserById(to.db, ada.id))!;
  const saved = await setWebhookUrl(to.db, {
    actor: admin,
    botId: imported.id,
    url: "https://y.test/",
  });
  assert.ok(saved.ok && saved.signingSecret?.length === 64, "a new signing secret, shown once");
  const again = await setWebhookUrl(to.db, { actor: admin, botId: imported.id, url: "" });
  assert.deepEqual(again, { ok: true }, "an existing secret is kept and not shown again");
});
