// Text Postgres cannot store (NUL) over a real WebSocket: a visible reason on the socket, never
// a 500, on both stores (the form and page entry points are in tests/routes/text_rules_test.ts).
import { liveServer } from "../fixtures/server.ts";
import { STORES } from "../fixtures/store.ts";
import { wsClient } from "../fixtures/ws.ts";

for (const kind of STORES) {
  Deno.test(`a NUL byte over the WebSocket gets a visible reason on the socket (${kind})`, async () => {
    await using server = await liveServer({}, { kind });
    const cookie = await server.guest("ana");
    await server.post("/rooms", { name: "general" }, cookie);
    await using ws = await wsClient(server.base, "general", cookie);
    ws.send({ body: "before\0after", client_id: "nul-1" });
    await ws.waitForFrame(/<form id="composer"[^]*must not contain control characters/);
    ws.send({ body: "/pm b\0b hello" });
    await ws.waitForFrame(/Username must not contain control characters/);
    ws.send({ body: "fine" });
    await ws.waitFor(1);
  });
}
