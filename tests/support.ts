// The old name of the app, store and server fixtures; new tests import tests/fixtures/ directly.
export * from "./fixtures/app.ts";
export * from "./fixtures/store.ts";
export { startServer } from "./fixtures/server.ts";
