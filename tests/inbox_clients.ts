// The old name of the inbox stream readers; new tests import tests/fixtures/sse.ts directly.
export { inboxClient, readInbox } from "./fixtures/sse.ts";
