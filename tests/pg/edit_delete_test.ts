// Edits and deletions cross instances through LISTEN/NOTIFY like sends do. Needs
// TEST_DATABASE_URL (CI always sets it).
import assert from "node:assert/strict";
import { appendedIds } from "../fixtures/frames.ts";
import { anaAndBob, twoInstances } from "../fixtures/server.ts";
import { sseClient } from "../fixtures/sse.ts";
import { SERVER_URL } from "../fixtures/store.ts";
import { waitUntil } from "../fixtures/wait.ts";

const options = { ignore: !SERVER_URL };

Deno.test(
  "an edit and a deletion on instance A reach an SSE client on instance B as replacements",
  options,
  async () => {
    await using instances = await twoInstances();
    const { a, b } = instances;
    const { ana, bob } = await anaAndBob(a, b);
    const onB = await sseClient(b.base, "shared", bob);
    await a.post("/rooms/shared/messages", { body: "draft one" }, ana);
    await onB.waitFor(1);
    const [id] = appendedIds(onB.frames());
    const path = `/rooms/shared/messages/${id}`;
    assert.equal((await a.post(`${path}/edit`, { body: "final one" }, ana)).status, 303);
    const replaced = new RegExp(`<article id="m-${id}"[^>]*hx-swap-oob="true"[\\s\\S]*final one`);
    await waitUntil(() => onB.frames().some((f) => replaced.test(f)), "the edit on B");
    assert.equal((await a.post(`${path}/delete`, {}, ana)).status, 303);
    const deleted = new RegExp(`<article id="m-${id}" class="msg h\\d+ deleted"[^>]*hx-swap-oob`);
    await waitUntil(() => onB.frames().some((f) => deleted.test(f)), "the deletion on B");
    assert.deepEqual(appendedIds(onB.frames()), [id]);
    const last = onB.events.findLast((e) => e.id !== null)!;
    assert.doesNotMatch(last.data, /final one|draft one/);
    assert.equal(last.id, last.data.match(/id="cursor" data-version="(\d+)"/)![1]);
    await onB.close();
  },
);
