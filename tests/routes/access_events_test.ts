import assert from "node:assert/strict";
import type { Room } from "../../db/schema.ts";
import type { Subscriber } from "../../live/hub.ts";
import { appForFile } from "../fixtures/app.ts";
import { type Person, person, room } from "../fixtures/people.ts";

const t = await appForFile();
let mia: Person, secret: Room;
Deno.test.beforeEach(async () => {
  mia = await person(t.deps.db, "mia", "member");
  secret = await room(t.deps.db, "secret", { kind: "private", members: [mia] });
});

function fakeSubscriber(userId: string) {
  const sub = {
    userId,
    cursor: 0,
    notices: [] as string[],
    closed: null as { code: number; reason: string } | null,
    send() {},
    notice(html: string) {
      sub.notices.push(html);
    },
    close(code: number, reason: string) {
      sub.closed = { code, reason };
    },
  };
  return sub satisfies Subscriber;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("a connection that subscribes just after a removal is closed by the second sweep", async () => {
  await t.deps.db.deleteFrom("memberships").execute();
  t.deps.fanout.dispatch({ k: "access", u: mia.id, r: secret.id });
  // It passed enterRoom before the removal committed and subscribes only now.
  const late = fakeSubscriber(mia.id);
  const leave = t.deps.hub.subscribe(secret.id, late);
  assert.equal(late.closed, null);
  await sleep(1500);
  assert.deepEqual(late.closed, { code: 4403, reason: "You were removed from #secret" });
  assert.match(late.notices.join(""), /id="status"[^>]*hx-swap-oob="true"/);
  assert.equal([...t.deps.hub.subscribers(secret.id)].length, 0);
  leave();
});

Deno.test("someone invited back at once keeps their new connection", async () => {
  const early = fakeSubscriber(mia.id);
  t.deps.hub.subscribe(secret.id, early);
  await sleep(50);
  t.deps.fanout.dispatch({ k: "access", u: mia.id, r: secret.id });
  await sleep(200);
  assert.equal(early.closed?.code, 4403, "the connection open at the removal is closed");
  const again = fakeSubscriber(mia.id);
  const leave = t.deps.hub.subscribe(secret.id, again);
  await sleep(1500);
  assert.equal(again.closed, null);
  leave();
});
