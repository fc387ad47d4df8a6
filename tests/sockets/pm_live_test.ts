// /pm over a real WebSocket: the delivery line and the errors go to the sending socket only.
import assert from "node:assert/strict";
import { appendedBodies } from "../fixtures/frames.ts";
import { anaAndBob, liveServer } from "../fixtures/server.ts";
import { inboxClient } from "../fixtures/sse.ts";
import { wsClient } from "../fixtures/ws.ts";

Deno.test("/pm over a WebSocket answers the sending socket only", async (t) => {
  await using server = await liveServer();
  const { ana, bob } = await anaAndBob(server, server, "lobby");

  await t.step("the sender's socket gets the delivery line; the room gets nothing", async () => {
    const a = await wsClient(server.base, "lobby", ana);
    const b = await wsClient(server.base, "lobby", bob);
    const inbox = await inboxClient(server.base, bob);
    a.send({ body: "/pm bob over the socket", client_id: "pm1" });
    await a.waitForFrame(/<p class="notice delivered">.*to bob<\/a>: over the socket/);
    await inbox.waitForBadge(1);
    await inbox.waitForNotice(/ana: over the socket/);
    a.send({ body: "a room message", client_id: "r1" });
    await b.waitFor(1);
    assert.deepEqual(appendedBodies(b.frames), ["a room message"]);
    assert.ok(!b.frames.some((f) => f.includes("over the socket")), "bob's room socket");
    a.close();
    b.close();
    await inbox.close();
  });

  for (
    const [what, body, error] of [
      ["an unknown person", "/pm nobody hi", "There is no one called @nobody"],
      ["an empty message", "/pm bob ", "Message is empty"],
      ["a message to yourself", "/pm ana hi me", "You cannot send a private message to yourself"],
    ] as const
  ) {
    await t.step(`${what} comes back as an error in the composer, keeping the text`, async () => {
      const a = await wsClient(server.base, "lobby", ana);
      a.send({ body, client_id: crypto.randomUUID().slice(0, 8) });
      await a.waitForFrame(/id="composer"/);
      const frame = a.frames.find((f) => f.includes('id="composer"'))!;
      assert.match(frame, /hx-swap-oob="true"/);
      assert.ok(frame.includes(error), frame);
      assert.ok(frame.includes(`${body}</textarea>`), "the typed text is kept");
      assert.ok(!a.frames.some((f) => f.includes("notice delivered")));
      a.close();
    });
  }
});
