import assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import { eventStream } from "../../live/person_stream.ts";
import type { Tracked } from "../../live/connections.ts";
import { Hub } from "../../live/hub.ts";

/** A hub that only records what is tracked (streams need nothing else from it here). */
class TrackingHub {
  tracked = new Set<Tracked>();
  track(connection: Tracked) {
    this.tracked.add(connection);
  }
  untrack(connection: Tracked) {
    this.tracked.delete(connection);
  }
}

/** Reads a response body as text as it arrives. */
function reader(response: Response) {
  const stream = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const text = { all: "" };
  const done = (async () => {
    for (;;) {
      const { value, done } = await stream.read();
      if (done) return;
      text.all += value;
    }
  })();
  return { text, cancel: () => stream.cancel(), done };
}

/** Lets queued stream reads run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("event streams share one keep-alive timer, stopped when the last one goes", async () => {
  const clock = FakeTimers.install({ toFake: ["setInterval", "clearInterval"] });
  try {
    const hub = new TrackingHub();
    const closed: string[] = [];
    const open = (name: string) =>
      reader(
        eventStream(hub as unknown as Hub, { userId: name, session: null }, () => () =>
          closed.push(name)),
      );
    const ana = open("ana");
    const bo = open("bo");
    await settle();
    assert.equal(clock.countTimers(), 1, "one timer for both streams");
    assert.equal(hub.tracked.size, 2);
    // Each stream asks for its own reconnect delay, 0.5-1.5 s, so pages do not return at once.
    const retry = Number(/^retry: (\d+)\n\n$/.exec(ana.text.all)?.[1]);
    assert.ok(retry >= 500 && retry < 1500, `retry ${retry}`);

    clock.tick(20_000);
    await settle();
    assert.match(ana.text.all, /: keep-alive\n\n$/);
    assert.match(bo.text.all, /: keep-alive\n\n$/);

    await ana.cancel();
    await settle();
    assert.deepEqual(closed, ["ana"]);
    assert.equal(clock.countTimers(), 1, "the timer stays while a stream is open");
    const before = ana.text.all;
    clock.tick(20_000);
    await settle();
    assert.equal(ana.text.all, before, "a cancelled stream gets nothing more");
    assert.equal(bo.text.all.match(/keep-alive/g)?.length, 2);

    await bo.cancel();
    await settle();
    assert.deepEqual(closed, ["ana", "bo"]);
    assert.equal(clock.countTimers(), 0, "no timer once every stream is gone");
    assert.equal(hub.tracked.size, 0, "closed streams are no longer tracked");
  } finally {
    clock.uninstall();
  }
});

Deno.test("shutdown closing a tracked stream ends it for the reader", async () => {
  const hub = new TrackingHub();
  const closed: string[] = [];
  const stream = reader(
    eventStream(
      hub as unknown as Hub,
      { userId: "ana", session: null },
      () => () => closed.push("ana"),
    ),
  );
  await settle();
  for (const connection of [...hub.tracked]) connection.close(1012, "Server restarting");
  await stream.done;
  assert.deepEqual(closed, ["ana"]);
  assert.equal(hub.tracked.size, 0);
});
