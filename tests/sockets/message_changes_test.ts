// Edits, deletions and reactions over real sockets: a subscriber gets each change as a
// replacement of the same element, and a client reconnecting with an older cursor gets it too.
import assert from "node:assert/strict";
import { appendedIds, lastCursor } from "../fixtures/frames.ts";
import { liveServer } from "../fixtures/server.ts";
import { wsClient } from "../fixtures/ws.ts";

Deno.test("changes to a message reach live sockets as replacements", async (t) => {
  await using server = await liveServer();
  const cookie = await server.guest("eve");
  const post = (path: string, fields: Record<string, string>) => server.post(path, fields, cookie);
  await post("/rooms", { name: "live" });

  await t.step(
    "a subscriber gets the edit as a replacement of the same element, not a new one",
    async () => {
      await using ws = await wsClient(server.base, "live", cookie);
      await post("/rooms/live/messages", { body: "typo heer" });
      await ws.waitFor(1);
      const [id] = appendedIds(ws.frames);
      const afterSend = lastCursor(ws.frames);
      assert.equal(
        (await post(`/rooms/live/messages/${id}/edit`, { body: "typo here" })).status,
        303,
      );
      const replaced = new RegExp(`<article id="m-${id}"[^>]*hx-swap-oob="true"[\\s\\S]*typo here`);
      await ws.waitForFrame(replaced);
      assert.deepEqual(appendedIds(ws.frames), [id]);

      await using late = await wsClient(server.base, "live", cookie, afterSend);
      await late.waitForFrame(replaced);
      assert.deepEqual(appendedIds(late.frames), []);
      assert.ok(lastCursor(late.frames) > afterSend);
    },
  );

  await t.step("a deletion reaches subscribers as a placeholder without the old text", async () => {
    await using ws = await wsClient(server.base, "live", cookie);
    await post("/rooms/live/messages", { body: "secret sauce" });
    await ws.waitForFrame(/secret sauce/);
    const id = appendedIds(ws.frames).at(-1)!;
    await post(`/rooms/live/messages/${id}/delete`, {});
    const gone = new RegExp(
      `<article id="m-${id}" class="msg h\\d+ deleted"[^>]*hx-swap-oob="true"`,
    );
    await ws.waitForFrame(gone);
    assert.doesNotMatch(ws.frames.find((f) => gone.test(f))!, /secret sauce/);
  });

  await t.step(
    "a reaction reaches subscribers and reconnecting clients as a replacement",
    async () => {
      await using ws = await wsClient(server.base, "live", cookie);
      await post("/rooms/live/messages", { body: "react to me" });
      await ws.waitForFrame(/react to me/);
      const id = appendedIds(ws.frames).at(-1)!;
      const afterSend = lastCursor(ws.frames);
      assert.equal(
        (await post(`/rooms/live/messages/${id}/reactions`, { emoji: "❤️" })).status,
        303,
      );
      const replaced = new RegExp(
        `<article id="m-${id}"[^>]*hx-swap-oob="true"[\\s\\S]*title="eve">❤️ 1`,
      );
      await ws.waitForFrame(replaced);
      assert.deepEqual(appendedIds(ws.frames), [id]);

      await using late = await wsClient(server.base, "live", cookie, afterSend);
      await late.waitForFrame(replaced);
      assert.deepEqual(appendedIds(late.frames), []);
      assert.ok(lastCursor(late.frames) > afterSend);
    },
  );
});
