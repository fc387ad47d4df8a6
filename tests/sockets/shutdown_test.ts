import assert from "node:assert/strict";
import { sseClient, wsClient } from "../live_clients.ts";
import { formInit, sessionCookie, startServer } from "../support.ts";

Deno.test({
  name: "shutting down closes WebSockets with 1012 so htmx reconnects, and ends SSE streams",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const server = await startServer({ DATA_DIR: ":memory:" });
    const guest = await fetch(
      `${server.base}/guest`,
      formInit({ nickname: "ana" }, { origin: server.base }),
    );
    const cookie = sessionCookie(guest);
    await guest.body?.cancel();
    const room = await fetch(
      `${server.base}/rooms`,
      formInit({ name: "bye" }, { origin: server.base, cookie }),
    );
    await room.body?.cancel();
    const ws = await wsClient(server.base, "bye", cookie);
    const sse = await sseClient(server.base, "bye", cookie);
    await server.stop();
    assert.equal((await ws.closed).code, 1012);
    await sse.done;
  },
});
