// Counting connections: how many each person has open in each room on each instance, and
// the join and leave events when a person's total across instances reaches or leaves zero.
import { type Kysely, sql } from "kysely";
import { notifyEvent } from "./events.ts";
import type { PresenceKey } from "./presence.ts";
import type { Database } from "./schema.ts";

/** A change to one person's connection count in one room on this instance. */
export interface PresenceChange {
  roomId: string;
  userId: string;
  /** Connections opened (positive) or closed (negative) since the last write. */
  delta: number;
}

/** `room:user`, the key of a person in a room across instances. */
export function personKey(roomId: string, userId: string): string {
  return `${roomId}:${userId}`;
}

// The changes as a row set every statement below reads (a JSON parameter works the same on
// both databases, where array parameters differ).
function changeRows(changes: PresenceChange[]) {
  const rows = changes.map((c) => ({ r: c.roomId, u: c.userId, d: c.delta }));
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(r text, u text, d int)`;
}

async function totals(trx: Kysely<Database>, changes: PresenceChange[]) {
  const { rows } = await sql<{ r: string; u: string; n: number }>`
    select x.r, x.u, coalesce((select sum(p.connections) from presence p
      where p.room_id = x.r and p.user_id = x.u), 0)::int as n
    from ${changeRows(changes)}`.execute(trx);
  return new Map(rows.map((row) => [personKey(row.r, row.u), row.n]));
}

/**
 * Applies many connection-count changes of this instance in one transaction (a restart brings
 * a whole room back at once; one transaction each would cost several round trips per page).
 * Each person in each room is locked, in a fixed order, across instances, so a 0→n or n→0
 * change of their total is decided and announced (a NOTIFY in the same transaction) exactly
 * once. Returns who came online (true) and who went offline (false).
 */
export async function changePresence(
  db: Kysely<Database>,
  instanceId: string,
  changes: PresenceChange[],
): Promise<Map<string, boolean>> {
  if (!changes.length) return new Map();
  return await db.transaction().execute(async (trx) => {
    await sql`select count(pg_advisory_xact_lock(hashtext(s.r), hashtext(s.u)))
      from (select x.r, x.u from ${changeRows(changes)} order by x.r, x.u) s`.execute(trx);
    const before = await totals(trx, changes);
    await sql`insert into presence (room_id, user_id, instance_id, connections)
      select x.r, x.u, ${instanceId}, x.d from ${changeRows(changes)} where x.d > 0
      on conflict (room_id, user_id, instance_id) do update
      set connections = presence.connections + excluded.connections, seen_at = now()`
      .execute(trx);
    // Rows a close empties go (a row always counts at least one connection); the rest count down.
    await sql`delete from presence p using ${changeRows(changes)}
      where x.d < 0 and p.room_id = x.r and p.user_id = x.u and p.instance_id = ${instanceId}
      and p.connections + x.d <= 0`.execute(trx);
    await sql`update presence p set connections = p.connections + x.d from ${changeRows(changes)}
      where x.d < 0 and p.room_id = x.r and p.user_id = x.u and p.instance_id = ${instanceId}`
      .execute(trx);
    const after = await totals(trx, changes);
    const turned = new Map<string, boolean>();
    for (const c of changes) {
      const key = personKey(c.roomId, c.userId);
      const [was, is] = [before.get(key) ?? 0, after.get(key) ?? 0];
      if ((was > 0) !== (is > 0)) turned.set(key, is > 0);
    }
    const events = changes.filter((c) => turned.has(personKey(c.roomId, c.userId)))
      .map((c) =>
        notifyEvent({
          k: "presence",
          r: c.roomId,
          u: c.userId,
          on: turned.get(personKey(c.roomId, c.userId))!,
        })
      );
    for (let i = 0; i < events.length; i += 500) {
      await sql`select ${sql.join(events.slice(i, i + 500))}`.execute(trx);
    }
    return turned;
  });
}

/** Counts one more connection; true (and a join event) when the person was offline. */
export async function connect(db: Kysely<Database>, key: PresenceKey): Promise<boolean> {
  const turned = await changePresence(db, key.instanceId, [{ ...key, delta: 1 }]);
  return turned.get(personKey(key.roomId, key.userId)) === true;
}

/** Counts one connection less; true (and a leave event) when it was the person's last. */
export async function disconnect(db: Kysely<Database>, key: PresenceKey): Promise<boolean> {
  const turned = await changePresence(db, key.instanceId, [{ ...key, delta: -1 }]);
  return turned.get(personKey(key.roomId, key.userId)) === false;
}
