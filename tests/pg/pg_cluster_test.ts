// The private-cluster helper itself: data survives a fast and an immediate (crash) restart, and
// dispose leaves nothing behind. Needs only the local Postgres 15 binaries, not the shared server.
import assert from "node:assert/strict";
import postgres from "postgres";
import { startCluster } from "../fixtures/pg_cluster.ts";

/** Reads the one row back through a fresh client, since a restart kills every old connection. */
async function readNote(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await sql<{ body: string }[]>`select body from notes order by id`).map((r) => r.body);
  } finally {
    await sql.end();
  }
}

Deno.test("a private cluster starts, restarts fast and immediate, and is removed", async () => {
  const cluster = await startCluster({ name: "self_test" });
  try {
    assert.match(cluster.url, new RegExp(`^postgres://postgres@127\\.0\\.0\\.1:${cluster.port}/`));
    const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
    try {
      await sql`create table notes (id serial primary key, body text not null)`;
      await sql`insert into notes (body) values ('kept')`;
    } finally {
      await sql.end();
    }

    await cluster.restart("fast");
    assert.deepEqual(await readNote(cluster.url), ["kept"]);

    // An immediate stop is a crash; the committed row must come back through WAL recovery.
    await cluster.restart("immediate");
    assert.deepEqual(await readNote(cluster.url), ["kept"]);
  } finally {
    await cluster.dispose();
    await cluster.dispose();
  }
  await assert.rejects(() => Deno.stat(cluster.dir), Deno.errors.NotFound);
});
