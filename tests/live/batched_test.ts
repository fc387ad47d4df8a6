import assert from "node:assert/strict";
import { Batched } from "../../live/batched.ts";

Deno.test("questions asked while a query is in flight share the next query", async () => {
  const loads: string[][] = [];
  let release = () => {};
  const batched = new Batched<string, number>(async (keys) => {
    loads.push(keys);
    if (loads.length === 1) await new Promise<void>((resolve) => release = resolve);
    return new Map(keys.filter((k) => k !== "none").map((k) => [k, k.length]));
  }, -1);
  const first = batched.get("a");
  assert.deepEqual(loads, [["a"]], "an idle batcher asks at once");
  const later = ["bb", "ccc", "bb", "none"].map((k) => batched.get(k));
  release();
  assert.equal(await first, 1);
  assert.deepEqual(await Promise.all(later), [2, 3, 2, -1]);
  assert.deepEqual(loads, [["a"], ["bb", "ccc", "none"]], "one query for the four waiting");
});

Deno.test("a failed query fails its own round only", async () => {
  let fail = true;
  const batched = new Batched<string, string>((keys) => {
    if (fail) return Promise.reject(new Error("database away"));
    return Promise.resolve(new Map(keys.map((k) => [k, k.toUpperCase()])));
  }, "");
  await assert.rejects(batched.get("x"), /database away/);
  fail = false;
  assert.equal(await batched.get("y"), "Y");
});
