// Reactions cross instances through LISTEN/NOTIFY like edits do. Needs TEST_DATABASE_URL
// (CI always sets it).
import assert from "node:assert/strict";
import { appendedIds } from "../fixtures/frames.ts";
import { anaAndBob, twoInstances } from "../fixtures/server.ts";
import { sseClient } from "../fixtures/sse.ts";
import { SERVER_URL } from "../fixtures/store.ts";
import { waitUntil } from "../fixtures/wait.ts";

const options = { ignore: !SERVER_URL };

Deno.test(
  "a reaction on instance A reaches SSE clients on instance B, live and after a reconnect, as a replacement",
  options,
  async () => {
    await using instances = await twoInstances();
    const { a, b } = instances;
    const { ana, bob } = await anaAndBob(a, b);
    const onB = await sseClient(b.base, "shared", bob);
    await a.post("/rooms/shared/messages", { body: "party time" }, ana);
    // Presence pushes come first and carry no id; wait for the message itself.
    await waitUntil(() => appendedIds(onB.frames()).length === 1, "the message on B");
    const [id] = appendedIds(onB.frames());
    const seen = Number(onB.events.findLast((e) => e.id !== null)!.id);
    await onB.close();

    const path = `/rooms/shared/messages/${id}/reactions`;
    assert.equal((await a.post(path, { emoji: "🎉" }, ana)).status, 303);
    const back = await sseClient(b.base, "shared", bob, { lastEventId: seen });
    const replaced = new RegExp(`<article id="m-${id}"[^>]*hx-swap-oob="true"[\\s\\S]*🎉 1`);
    await waitUntil(() => back.frames().some((f) => replaced.test(f)), "the reaction on B");
    assert.deepEqual(appendedIds(back.frames()), []);

    assert.equal((await a.post(path, { emoji: "🎉" }, bob)).status, 303);
    const both = new RegExp(`<article id="m-${id}"[\\s\\S]*title="ana, bob">🎉 2`);
    await waitUntil(() => back.frames().some((f) => both.test(f)), "the second reaction on B");
    assert.deepEqual(appendedIds(back.frames()), []);
    await back.close();
  },
);
