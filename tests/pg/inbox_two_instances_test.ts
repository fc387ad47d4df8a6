// Private messages across two instances on one Postgres: the inbox event crosses instances
// through LISTEN/NOTIFY and reaches only the recipient. Needs TEST_DATABASE_URL.
import assert from "node:assert/strict";
import { inboxClient } from "../inbox_clients.ts";
import { wsClient } from "../live_clients.ts";
import { formInit, freshDatabase, SERVER_URL, sessionCookie, startServer } from "../support.ts";

const options = { ignore: !SERVER_URL, sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "/pm sent on instance A reaches Bob's inbox stream on instance B and his conversation",
  options,
  async () => {
    const fresh = await freshDatabase(SERVER_URL!);
    const a = await startServer({ DATABASE_URL: fresh.url, INSTANCE_ID: "inbox-a" });
    const b = await startServer({ DATABASE_URL: fresh.url, INSTANCE_ID: "inbox-b" });
    const guest = async (base: string, nickname: string) => {
      const res = await fetch(`${base}/guest`, formInit({ nickname }, { origin: base }));
      await res.body?.cancel();
      return sessionCookie(res);
    };
    try {
      const ana = await guest(a.base, "ana");
      const bob = await guest(b.base, "bob");
      const made = await fetch(
        `${a.base}/rooms`,
        formInit({ name: "x" }, { origin: a.base, cookie: ana }),
      );
      await made.body?.cancel();
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
    } finally {
      await a.stop();
      await b.stop();
      await fresh.drop();
    }
  },
);
