import assert from "node:assert/strict";
import { readConfig } from "../../config.ts";

Deno.test("FILE_MAX_BYTES defaults to 10 MB and refuses what is not a size, with a clear error", () => {
  assert.equal(readConfig({}).fileMaxBytes, 10 * 1024 * 1024);
  assert.equal(readConfig({ FILE_MAX_BYTES: "2048" }).fileMaxBytes, 2048);
  for (const bad of ["0", "-5", "1.5", "ten", String(2 * 1024 ** 3)]) {
    assert.throws(
      () => readConfig({ FILE_MAX_BYTES: bad }),
      new RegExp(`FILE_MAX_BYTES must be a whole number of bytes from 1 to \\d+, got "${bad}"`),
    );
  }
});
