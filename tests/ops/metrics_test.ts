import assert from "node:assert/strict";
import { readConfig } from "../../config.ts";
import { reviseMessage } from "../../db/messages.ts";
import { wsClient } from "../live_clients.ts";
import { serveApp } from "../fixtures/server.ts";
import { SERVER_URL, testApp } from "../support.ts";

const TOKEN = "a-metrics-token-for-tests";

/** The value of one series (`name` with its labels, as written), or NaN when absent. */
function value(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : NaN;
}

Deno.test("/metrics is off by default", async () => {
  await using t = await testApp();
  const res = await t.app.request("http://localhost/metrics");
  assert.equal(res.status, 404);
  await res.body?.cancel();
});

Deno.test("with METRICS_TOKEN, /metrics needs that bearer token", async () => {
  await using t = await testApp({ METRICS_TOKEN: TOKEN });
  const get = (authorization?: string) =>
    t.app.request("http://localhost/metrics", {
      headers: authorization ? { authorization } : {},
    });
  for (const wrong of [undefined, "Bearer nope", `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
    const res = await get(wrong);
    assert.equal(res.status, 401, String(wrong));
    assert.match(await res.text(), /Authorization: Bearer/);
  }
  const res = await get(`Bearer ${TOKEN}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  for (
    const name of [
      "hyperchat_live_connections",
      "hyperchat_messages_stored_total",
      "hyperchat_messages_delivered_total",
      "hyperchat_fanout_lag_seconds",
      "hyperchat_listener_reconnects_total",
      "hyperchat_listener_up",
      "hyperchat_db_pool_connections",
    ]
  ) assert.match(text, new RegExp(`^# TYPE ${name} `, "m"));
  assert.equal(value(text, "hyperchat_listener_up"), 1);
  assert.equal(value(text, "hyperchat_listener_reconnects_total"), 0);
});

Deno.test("METRICS=on opens /metrics to anyone who can reach it", async () => {
  await using t = await testApp({ METRICS: "on" });
  const res = await t.app.request("http://localhost/metrics");
  assert.equal(res.status, 200);
  assert.match(await res.text(), /hyperchat_messages_stored_total 0/);
});

Deno.test("a message sent and delivered over a real WebSocket moves the counts", async () => {
  await using server = await serveApp(undefined, { METRICS_TOKEN: TOKEN });
  const scrape = async () =>
    await (await fetch(`${server.base}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    })).text();
  const ana = await server.guest("ana");
  const bob = await server.guest("bob");
  await server.post("/rooms", { name: "counted" }, ana);
  await server.visit("/rooms/counted", bob);
  const before = await scrape();
  await using a = await wsClient(server.base, "counted", ana);
  await using b = await wsClient(server.base, "counted", bob);
  const open = await scrape();
  assert.equal(value(open, 'hyperchat_live_connections{transport="ws"}'), 2);
  a.send({ body: "counted once", client_id: "c1" });
  await a.waitFor(1);
  await b.waitFor(1);
  const after = await scrape();
  const moved = (series: string) => value(after, series) - value(before, series);
  assert.equal(moved("hyperchat_messages_stored_total"), 1);
  assert.equal(moved("hyperchat_messages_delivered_total"), 2);
  const lagged = moved('hyperchat_fanout_lag_seconds_count{path="local"}') +
    moved('hyperchat_fanout_lag_seconds_count{path="notify"}');
  assert.ok(lagged >= 1, "a fan-out was timed");
  a.close();
  b.close();
  const ws = 'hyperchat_live_connections{transport="ws"}';
  for (let tries = 0; value(await scrape(), ws) !== 0; tries++) {
    assert.ok(tries < 200, "the connections were counted as closed");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
});

Deno.test("METRICS and METRICS_TOKEN refuse what would be unsafe or unclear", () => {
  assert.throws(() => readConfig({ METRICS: "yes" }), /METRICS must be on or off/);
  assert.throws(() => readConfig({ METRICS_TOKEN: "short" }), /at least 16 characters/);
  assert.deepEqual(readConfig({ METRICS: "on", METRICS_TOKEN: TOKEN }).metrics, {
    kind: "token",
    token: TOKEN,
  });
});

Deno.test({
  name: "a LISTEN connection that comes back is counted as a reconnect",
  ignore: !SERVER_URL,
  fn: async () => {
    await using t = await testApp({ METRICS: "on" }, "server");
    const scrape = async () => await (await t.app.request("http://localhost/metrics")).text();
    assert.equal(value(await scrape(), "hyperchat_listener_reconnects_total"), 0);
    await t.deps.bus.restart();
    for (
      let tries = 0;
      value(await scrape(), "hyperchat_listener_reconnects_total") !== 1;
      tries++
    ) {
      assert.ok(tries < 200, "the reconnect was counted");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const text = await scrape();
    assert.equal(value(text, "hyperchat_listener_up"), 1);
    assert.ok(value(text, 'hyperchat_db_pool_connections{state="total"}') >= 1);
    assert.equal(value(text, "hyperchat_db_pool_waiting"), 0);
  },
});

Deno.test("a change that arrives by NOTIFY is timed from the NOTIFY to its frames", async () => {
  await using server = await serveApp(undefined, { METRICS: "on" });
  const scrape = async () => await (await fetch(`${server.base}/metrics`)).text();
  const ana = await server.guest("ana");
  await server.post("/rooms", { name: "edited" }, ana);
  await using a = await wsClient(server.base, "edited", ana);
  a.send({ body: "before", client_id: "e1" });
  await a.waitFor(1);
  const before = await scrape();
  const message = await server.db.selectFrom("messages").selectAll().executeTakeFirstOrThrow();
  const author = message.author_id;
  await reviseMessage(server.db, {
    messageId: message.id,
    roomId: message.room_id,
    editorId: author,
    body: "after",
  });
  await a.waitForFrame(/after/);
  const after = await scrape();
  const series = 'hyperchat_fanout_lag_seconds_count{path="notify"}';
  assert.equal(value(after, series) - value(before, series), 1);
  assert.equal(
    value(after, "hyperchat_messages_delivered_total") -
      value(before, "hyperchat_messages_delivered_total"),
    1,
  );
  assert.equal(value(after, "hyperchat_notifications_total") >= 2, true);
});
