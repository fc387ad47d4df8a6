// The one Server-Sent Events encoder (live/event_stream.ts): every stream's bytes come from it.
import assert from "node:assert/strict";
import { ENDED, sse } from "../../live/event_stream.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Reads one event back the way a browser's EventSource does (the fields this app uses). */
function parse(wire: string) {
  assert.ok(wire.endsWith("\n\n"), "an event ends with a blank line");
  const fields: Record<string, string[]> = {};
  for (const line of wire.slice(0, -2).split("\n")) {
    const at = line.indexOf(": ");
    (fields[line.slice(0, at)] ??= []).push(line.slice(at + 2));
  }
  return fields;
}

Deno.test("multi-line data becomes one data line per line, whatever the line break", () => {
  const wire = text(sse({ event: "message", data: "<p>one</p>\n<p>two</p>\r\nthree\rfour" }));
  assert.equal(
    wire,
    "event: message\ndata: <p>one</p>\ndata: <p>two</p>\ndata: three\ndata: four\n\n",
  );
  assert.deepEqual(parse(wire).data, ["<p>one</p>", "<p>two</p>", "three", "four"]);
});

Deno.test("an event carries only the fields it is given, id first", () => {
  assert.equal(text(sse({ id: 42 })), "id: 42\n\n");
  assert.equal(text(sse({ retry: 750 })), "retry: 750\n\n");
  assert.equal(
    text(sse({ id: 7, event: "message", data: "<b>hi</b>" })),
    "id: 7\nevent: message\ndata: <b>hi</b>\n\n",
  );
  assert.equal(text(sse({ event: "inbox", data: "" })), "event: inbox\ndata: \n\n");
});

Deno.test("the final event stops the page's stream with event: ended", () => {
  assert.deepEqual(parse(text(ENDED)), { event: ["ended"], data: ["1"] });
});

Deno.test("a line break in an id or an event name is refused, not written as a field", () => {
  assert.throws(() => sse({ event: "message\ndata: injected" }), /event cannot hold a line break/);
  assert.throws(() => sse({ id: "1\rretry: 1" }), /id cannot hold a line break/);
});

Deno.test("a retry that is not a whole number of ms is refused", () => {
  assert.throws(() => sse({ retry: 1.5 }), /whole number of ms/);
  assert.throws(() => sse({ retry: -1 }), /whole number of ms/);
});
