// Edits and deletions cross instances through LISTEN/NOTIFY like sends do. Needs
// TEST_DATABASE_URL (CI always sets it).
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
  "an edit and a deletion on instance A reach an SSE client on instance B as replacements",
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
      await post(a.base, "/rooms/shared/messages", { body: "draft one" }, ana);
      await onB.waitFor(1);
      const [id] = appendedIds(onB.frames());
      const path = `/rooms/shared/messages/${id}`;
      assert.equal((await post(a.base, `${path}/edit`, { body: "final one" }, ana)).status, 303);
      const replaced = new RegExp(`<article id="m-${id}"[^>]*hx-swap-oob="true"[\\s\\S]*final one`);
      await waitUntil(() => onB.frames().some((f) => replaced.test(f)), "the edit on B");
      assert.equal((await post(a.base, `${path}/delete`, {}, ana)).status, 303);
      const deleted = new RegExp(`<article id="m-${id}" class="msg h\\d+ deleted"[^>]*hx-swap-oob`);
      await waitUntil(() => onB.frames().some((f) => deleted.test(f)), "the deletion on B");
      assert.deepEqual(appendedIds(onB.frames()), [id]);
      const last = onB.events.findLast((e) => e.id !== null)!;
      assert.doesNotMatch(last.data, /final one|draft one/);
      assert.equal(last.id, last.data.match(/id="cursor" data-version="(\d+)"/)![1]);
      await onB.close();
    } finally {
      await a.stop();
      await b.stop();
      await fresh.drop();
    }
  },
);
