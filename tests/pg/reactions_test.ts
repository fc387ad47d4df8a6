// Reactions cross instances through LISTEN/NOTIFY like edits do. Needs TEST_DATABASE_URL
// (CI always sets it).
import assert from "node:assert/strict";
import { appendedIds, sseClient, waitUntil } from "../live_clients.ts";
import { formInit, freshDatabase, SERVER_URL, sessionCookie, startServer } from "../support.ts";

const options = { ignore: !SERVER_URL, sanitizeOps: false, sanitizeResources: false };

async function post(base: string, path: string, fields: Record<string, string>, cookie = "") {
  const res = await fetch(`${base}${path}`, formInit(fields, { origin: base, cookie }));
  await res.body?.cancel();
  return res;
}

Deno.test(
  "a reaction on instance A reaches SSE clients on instance B, live and after a reconnect, as a replacement",
  options,
  async () => {
    const fresh = await freshDatabase(SERVER_URL!);
    const a = await startServer({ DATABASE_URL: fresh.url, INSTANCE_ID: "inst-a" });
    const b = await startServer({ DATABASE_URL: fresh.url, INSTANCE_ID: "inst-b" });
    try {
      const ana = sessionCookie(await post(a.base, "/guest", { nickname: "ana" }));
      const bob = sessionCookie(await post(b.base, "/guest", { nickname: "bob" }));
      await post(a.base, "/rooms", { name: "shared" }, ana);
      await (await fetch(`${b.base}/rooms/shared`, { headers: { cookie: bob } })).body?.cancel();
      const onB = await sseClient(b.base, "shared", bob);
      await post(a.base, "/rooms/shared/messages", { body: "party time" }, ana);
      // Presence pushes come first and carry no id; wait for the message itself.
      await waitUntil(() => appendedIds(onB.frames()).length === 1, "the message on B");
      const [id] = appendedIds(onB.frames());
      const seen = Number(onB.events.findLast((e) => e.id !== null)!.id);
      await onB.close();

      const path = `/rooms/shared/messages/${id}/reactions`;
      assert.equal((await post(a.base, path, { emoji: "🎉" }, ana)).status, 303);
      const back = await sseClient(b.base, "shared", bob, { lastEventId: seen });
      const replaced = new RegExp(`<article id="m-${id}"[^>]*hx-swap-oob="true"[\\s\\S]*🎉 1`);
      await waitUntil(() => back.frames().some((f) => replaced.test(f)), "the reaction on B");
      assert.deepEqual(appendedIds(back.frames()), []);

      assert.equal((await post(a.base, path, { emoji: "🎉" }, bob)).status, 303);
      const both = new RegExp(`<article id="m-${id}"[\\s\\S]*title="ana, bob">🎉 2`);
      await waitUntil(() => back.frames().some((f) => both.test(f)), "the second reaction on B");
      assert.deepEqual(appendedIds(back.frames()), []);
      await back.close();
    } finally {
      await a.stop();
      await b.stop();
      await fresh.drop();
    }
  },
);
