import assert from "node:assert/strict";
import { readConfig } from "../../config.ts";

Deno.test("presence timing defaults to 30 s stale rows swept every 10 s", () => {
  assert.deepEqual(readConfig({}).presence, { staleMs: 30_000, sweepMs: 10_000 });
});

Deno.test("presence timing can be shortened, but rows must outlive two sweeps", () => {
  const short = readConfig({ PRESENCE_STALE_MS: "1000", PRESENCE_SWEEP_MS: "200" });
  assert.deepEqual(short.presence, { staleMs: 1000, sweepMs: 200 });
  assert.throws(
    () => readConfig({ PRESENCE_STALE_MS: "300", PRESENCE_SWEEP_MS: "200" }),
    /PRESENCE_STALE_MS must be .* at least twice PRESENCE_SWEEP_MS/,
  );
  assert.throws(() => readConfig({ PRESENCE_SWEEP_MS: "soon" }), /PRESENCE_SWEEP_MS must be/);
});
