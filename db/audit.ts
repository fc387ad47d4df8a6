import type { Kysely } from "kysely";
import type { AuditEntry, Database, User } from "./schema.ts";
import { newId } from "./users.ts";

/** What an admin did, to what, with an optional detail (e.g. the new value). */
export interface AuditInput {
  actor: User;
  action: string;
  target: string;
  detail?: string | null;
}

/** Records an admin action; call it with the action's own transaction so both commit or neither. */
export async function recordAudit(trx: Kysely<Database>, entry: AuditInput): Promise<void> {
  await trx.insertInto("audit_log").values({
    id: newId(),
    actor_id: entry.actor.id,
    actor_name: entry.actor.username,
    action: entry.action,
    target: entry.target,
    detail: entry.detail ?? null,
  }).execute();
}

/** The newest admin actions first. */
export async function listAudit(db: Kysely<Database>, limit = 200): Promise<AuditEntry[]> {
  return await db.selectFrom("audit_log").selectAll()
    .orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute();
}

/** How an admin action ended: done, or refused with a status and a reason a person can read. */
export type AdminOutcome = { ok: true } | { ok: false; status: 404 | 409 | 422; reason: string };

/** A refused admin action. */
export function refusedWith(status: 404 | 409 | 422, reason: string): AdminOutcome {
  return { ok: false, status, reason };
}
