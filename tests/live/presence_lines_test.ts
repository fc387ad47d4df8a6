import assert from "node:assert/strict";
import { presenceLines } from "../../live/presence_batch.tsx";

const names = new Map([
  ["a", "Ana"],
  ["b", "Bo"],
  ["c", "Cy"],
  ["d", "Di"],
  ["e", "Ed"],
  ["z", "Zoe"],
]);

/** The notices' texts, without their markup. */
function texts(html: string): string[] {
  return [...html.matchAll(/>([^<]+ (?:joined|left))</g)].map((m) => m[1]);
}

Deno.test("a batch's lines name the first people and count the rest, leaving out the reader", () => {
  const changes = new Map([["e", true], ["c", true], ["a", true], ["d", true], ["z", false]]);
  const lines = presenceLines(changes, names);
  assert.deepEqual(texts(lines()), ["Ana, Cy and 2 others joined", "Zoe left"]);
  assert.deepEqual(texts(lines("a")), ["Cy, Di and Ed joined", "Zoe left"]);
  assert.deepEqual(texts(lines("c")), ["Ana, Di and Ed joined", "Zoe left"]);
  assert.deepEqual(texts(lines("e")), ["Ana, Cy and Di joined", "Zoe left"]);
  assert.deepEqual(texts(lines("z")), ["Ana, Cy and 2 others joined"]);
  assert.deepEqual(texts(lines("b")), ["Ana, Cy and 2 others joined", "Zoe left"]);
});

Deno.test("a reader alone in the batch gets no line about themselves", () => {
  const lines = presenceLines(new Map([["b", true]]), names);
  assert.equal(lines("b"), "");
  assert.deepEqual(texts(lines("a")), ["Bo joined"]);
});

Deno.test("names are escaped and a missing name reads Someone", () => {
  const odd = new Map([["x", "<b>x</b>"]]);
  const lines = presenceLines(new Map([["x", true], ["y", true]]), odd);
  assert.match(lines(), /&lt;b&gt;x&lt;\/b&gt; and Someone joined/);
});
