import assert from "node:assert/strict";
import { log, readLogSettings } from "../../log.ts";
import { waitUntil, wsClient } from "../live_clients.ts";
import { serveApp } from "../fixtures/server.ts";
import { sessionCookie, testApp } from "../support.ts";
import { captureLog } from "./log_capture.ts";

Deno.test("a request is one line with its route pattern, status, time, user and address", async () => {
  await using t = await testApp();
  using captured = captureLog();
  const res = await t.app.request("http://localhost/guest", {
    method: "POST",
    headers: { origin: "http://localhost" },
    body: new URLSearchParams({ nickname: "ana" }),
  }, { remoteAddr: "10.1.2.3" });
  const cookie = sessionCookie(res);
  await (await t.app.request("http://localhost/rooms/no-such-room", { headers: { cookie } }))
    .text();
  const [guest, room] = captured.entries("request");
  assert.equal(guest.method, "POST");
  assert.equal(guest.route, "/guest");
  assert.equal(guest.status, 303);
  assert.equal(guest.addr, "10.1.2.3");
  assert.equal(typeof guest.ms, "number");
  assert.equal(room.route, "/rooms/:slug");
  assert.equal(room.status, 404); // a missing room offers its Create button
  assert.match(room.user, /^[0-9A-Z]{26}$/);
});

Deno.test("text lines are one line each, values with spaces quoted", () => {
  using captured = captureLog({ level: "info", format: "text" });
  log.info("request", { route: "/rooms/:slug", reason: "two words\nand a line" });
  assert.equal(captured.lines.length, 1);
  assert.match(
    captured.lines[0],
    /^\S+Z INFO request route=\/rooms\/:slug reason="two words\\nand a line"$/,
  );
});

Deno.test("lines below the level are not written", async () => {
  await using t = await testApp();
  using captured = captureLog({ level: "warn", format: "json" });
  await (await t.app.request("http://localhost/")).text();
  log.info("quiet");
  log.warn("loud");
  assert.deepEqual(captured.lines.map((line) => JSON.parse(line).msg), ["loud"]);
});

Deno.test("an error keeps its stack", () => {
  using captured = captureLog();
  log.error("Presence sweep failed", { error: new Error("boom") });
  const [entry] = captured.entries("Presence sweep failed");
  assert.equal(entry.level, "error");
  assert.match(entry.error, /^Error: boom\n\s+at /);
});

Deno.test("a live connection's opening and closing are logged with transport, room and code", async () => {
  await using server = await serveApp();
  const ana = await server.guest("ana");
  await server.post("/rooms", { name: "logged" }, ana);
  using captured = captureLog();
  const socket = await wsClient(server.base, "logged", ana);
  await waitUntil(() => captured.entries("live open").length === 1, "the open line");
  socket.close();
  await socket.closed;
  await waitUntil(() => captured.entries("live close").length === 1, "the close line");
  const [opened] = captured.entries("live open");
  const [closed] = captured.entries("live close");
  assert.deepEqual({ ...opened, time: 0 }, {
    time: 0,
    level: "info",
    msg: "live open",
    transport: "ws",
    carries: "logged",
    user: opened.user,
  });
  assert.match(opened.user, /^[0-9A-Z]{26}$/);
  assert.equal(closed.user, opened.user);
  assert.equal(closed.code, 1005);
  assert.equal(typeof closed.ms, "number");
});

Deno.test("LOG_LEVEL and LOG_FORMAT refuse unknown values and default to info and text", () => {
  assert.deepEqual(readLogSettings({}), { level: "info", format: "text" });
  assert.deepEqual(readLogSettings({ LOG_LEVEL: "DEBUG", LOG_FORMAT: "json" }), {
    level: "debug",
    format: "json",
  });
  assert.throws(() => readLogSettings({ LOG_LEVEL: "verbose" }), /LOG_LEVEL must be one of/);
  assert.throws(() => readLogSettings({ LOG_FORMAT: "xml" }), /LOG_FORMAT must be json or text/);
});
