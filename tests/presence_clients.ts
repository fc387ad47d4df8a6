// The old name of the presence helpers; new tests import tests/fixtures/ directly.
export { lastOnline, notices, typingLines } from "./fixtures/frames.ts";
export { readSse as readEvents } from "./fixtures/sse.ts";
export { waitUntil } from "./fixtures/wait.ts";
