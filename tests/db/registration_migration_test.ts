// The registration migration: a fresh install follows the configured default (invitation),
// an install that already has accounts stays open until an admin chooses.
import assert from "node:assert/strict";
import * as registration from "../../db/migrations/2026_12_01_0001_registration.ts";
import { readSettings } from "../../db/settings.ts";
import { newId } from "../../db/users.ts";
import { STORES, testStore } from "../support.ts";

for (const kind of STORES) {
  Deno.test(`[${kind}] a fresh install has no registration choice; one with accounts stays open`, async () => {
    await using store = await testStore(kind);
    assert.equal((await readSettings(store.db)).registration, null, "fresh: the default applies");
    await registration.down(store.db);
    await store.db.insertInto("users").values({
      id: newId(),
      username: "old",
      display_name: "old",
      password_hash: "x",
      role: "admin",
    } as never).execute();
    await registration.up(store.db);
    assert.equal((await readSettings(store.db)).registration, "open");
  });
}
