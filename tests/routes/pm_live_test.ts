// /pm over a real WebSocket: the delivery line and the errors go to the sending socket only.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { inboxClient } from "../inbox_clients.ts";
import { appendedBodies, wsClient } from "../live_clients.ts";
import { formInit, freshDatabase, SERVER_URL, sessionCookie, startServer } from "../support.ts";

let server: Awaited<ReturnType<typeof startServer>>;
let drop = async () => {};
let ana = "", bob = "";

async function post(path: string, fields: Record<string, string>, cookie = "") {
  const res = await fetch(
    `${server.base}${path}`,
    formInit(fields, { origin: server.base, cookie }),
  );
  await res.body?.cancel();
  return res;
}

before(async () => {
  let env: Record<string, string> = { DATA_DIR: ":memory:" };
  if (SERVER_URL) {
    const fresh = await freshDatabase(SERVER_URL);
    env = { DATABASE_URL: fresh.url };
    drop = fresh.drop;
  }
  server = await startServer(env);
  ana = sessionCookie(await post("/guest", { nickname: "ana" }));
  bob = sessionCookie(await post("/guest", { nickname: "bob" }));
  await post("/rooms", { name: "lobby" }, ana);
  await (await fetch(`${server.base}/rooms/lobby`, { headers: { cookie: bob } })).body?.cancel();
});
after(async () => {
  await server.stop();
  await drop();
});

describe("/pm over WebSocket", () => {
  it("the sender's socket gets the delivery line; the room gets nothing", async () => {
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
    it(`${what} comes back as an error in the composer, keeping the text`, async () => {
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
