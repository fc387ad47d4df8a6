// The old name of the live clients; new tests import tests/fixtures/ directly.
export { appendedBodies, appendedIds } from "./fixtures/frames.ts";
export { sseClient } from "./fixtures/sse.ts";
export { waitUntil } from "./fixtures/wait.ts";
export { wsClient } from "./fixtures/ws.ts";
