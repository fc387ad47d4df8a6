import assert from "node:assert/strict";
import { startServer } from "../fixtures/server.ts";
import { sseClient } from "../fixtures/sse.ts";
import { wsClient } from "../fixtures/ws.ts";

Deno.test("shutting down closes WebSockets with 1012 so htmx reconnects, and ends SSE streams", async () => {
  const server = await startServer({ DATA_DIR: ":memory:" });
  const cookie = await server.guest("ana");
  await server.post("/rooms", { name: "bye" }, cookie);
  const ws = await wsClient(server.base, "bye", cookie);
  const sse = await sseClient(server.base, "bye", cookie);
  await server.stop();
  assert.equal((await ws.closed).code, 1012);
  await sse.done;
});
