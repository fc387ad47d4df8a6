import assert from "node:assert/strict";
import { openEmbedded } from "../../db/embedded.ts";
import { migrateToLatest } from "../../db/migrate.ts";
import { createUser, findUserByName } from "../../db/users.ts";

Deno.test("the embedded database keeps data on disk and refuses a second opener", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const first = await openEmbedded(dir);
    await migrateToLatest(first.db);
    await createUser(first.db, { username: "ana", passwordHash: null, role: "guest" });
    await assert.rejects(() => openEmbedded(dir), /Data folder .* is in use by another process/);
    await first.close();
    const reopened = await openEmbedded(dir);
    assert.equal((await findUserByName(reopened.db, "ana"))?.username, "ana");
    await reopened.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
