// Private messages across two instances on one Postgres: the inbox event crosses instances
// through LISTEN/NOTIFY and reaches only the recipient. Needs TEST_DATABASE_URL.
import assert from "node:assert/strict";
import { twoInstances } from "../fixtures/server.ts";
import { inboxClient } from "../fixtures/sse.ts";
import { SERVER_URL } from "../fixtures/store.ts";
import { wsClient } from "../fixtures/ws.ts";

const options = { ignore: !SERVER_URL };

Deno.test(
  "/pm sent on instance A reaches Bob's inbox stream on instance B and his conversation",
  options,
  async () => {
    await using instances = await twoInstances({}, ["inbox-a", "inbox-b"]);
    const { a, b } = instances;
    const ana = await a.guest("ana");
    const bob = await b.guest("bob");
    await a.post("/rooms", { name: "x" }, ana);
    const bobInbox = await inboxClient(b.base, bob);
    const anaInbox = await inboxClient(a.base, ana);
    await Promise.all([bobInbox.waitForBadge(0), anaInbox.waitForBadge(0)]);
    const socket = await wsClient(a.base, "x", ana);

    socket.send({ body: "/pm bob hi", client_id: "pm-1" });
    await socket.waitForFrame(/<p class="notice delivered">.*to bob<\/a>: hi</);
    await bobInbox.waitForBadge(1);
    await bobInbox.waitForNotice(/href="\/dm\/ana">ana: hi</);

    const page = await (await fetch(`${b.base}/dm/ana`, { headers: { cookie: bob } })).text();
    assert.match(page, /<div class="body">hi<\/div>/);
    await bobInbox.waitForBadge(0);
    assert.deepEqual(anaInbox.notices(), [], "the sender's inbox hears nothing");
    socket.close();
    await bobInbox.close();
    await anaInbox.close();
  },
);
