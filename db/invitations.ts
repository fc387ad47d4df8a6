import { type Kysely, sql } from "kysely";
import { type AdminOutcome, recordAudit, refusedWith } from "./audit.ts";
import type { Database, Invitation, User } from "./schema.ts";
import { type LinkRefusal, mintToken, secretMatches, tokenId } from "./tokens.ts";

/** The longest an invitation may live, and the most uses one may grant. */
export const INVITATION_LIMITS = { maxDays: 90, maxUses: 1000 };

/** What an admin chooses for a new link. */
export interface InvitationInput {
  days: number;
  /** Null: any number of uses until it expires. */
  maxUses: number | null;
  guestsOnly: boolean;
}

/** Creates a link and audits it; returns the token, shown to the admin once. */
export async function createInvitation(
  db: Kysely<Database>,
  actor: User,
  input: InvitationInput,
): Promise<string> {
  const { id, token, secretHash } = mintToken();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("invitations").values({
      id,
      secret_hash: secretHash,
      created_by: actor.id,
      created_by_name: actor.username,
      expires_at: new Date(Date.now() + input.days * 86_400_000),
      max_uses: input.maxUses,
      guests_only: input.guestsOnly,
    }).execute();
    const uses = input.maxUses === null ? "any number of uses" : `${input.maxUses} use(s)`;
    const detail = `${input.days} day(s), ${uses}${input.guestsOnly ? ", guests only" : ""}`;
    await recordAudit(trx, { actor, action: "create invitation", target: id, detail });
  });
  return token;
}

/** Every link, newest first, for the admin list. */
export async function listInvitations(db: Kysely<Database>): Promise<Invitation[]> {
  return await db.selectFrom("invitations").selectAll()
    .orderBy("created_at", "desc").orderBy("id", "desc").limit(200).execute();
}

/** Revokes a link (it stops working at once) and audits it. */
export async function revokeInvitation(
  db: Kysely<Database>,
  actor: User,
  id: string,
): Promise<AdminOutcome> {
  return await db.transaction().execute(async (trx) => {
    const done = await trx.updateTable("invitations").set({ revoked_at: new Date() })
      .where("id", "=", id).where("revoked_at", "is", null).returning("id").executeTakeFirst();
    if (!done) return refusedWith(404, "There is no such invitation, or it is already revoked");
    await recordAudit(trx, { actor, action: "revoke invitation", target: id });
    return { ok: true };
  });
}

/** Why a link cannot be used now (a sentence for the person holding it), or null. */
export function invitationRefusal(row: Invitation, now = new Date()): string | null {
  if (row.revoked_at) return "This invitation was revoked: ask for a new one";
  if (row.expires_at <= now) return "This invitation has expired: ask for a new one";
  if (row.max_uses !== null && row.uses >= row.max_uses) {
    return "This invitation has been used up: ask for a new one";
  }
  return null;
}

/** The link a token names when it still works, else the reason it does not. */
export async function findInvitation(
  db: Kysely<Database>,
  token: string,
): Promise<Invitation | LinkRefusal> {
  const id = tokenId(token);
  const row = id
    ? await db.selectFrom("invitations").selectAll().where("id", "=", id).executeTakeFirst()
    : undefined;
  if (!row || !secretMatches(token, row.secret_hash)) {
    return { refused: "This invitation link is not valid: check it was copied whole", status: 404 };
  }
  const refused = invitationRefusal(row);
  return refused ? { refused, status: 410 } : row;
}

/**
 * Takes one use of a link inside the sign-up's transaction (the row lock makes racing sign-ups
 * take uses one at a time, so a link works exactly as often as allowed).
 */
export async function claimInvitation(
  trx: Kysely<Database>,
  token: string,
): Promise<Invitation | LinkRefusal> {
  const id = tokenId(token);
  if (id) await sql`select 1 from invitations where id = ${id} for update`.execute(trx);
  const found = await findInvitation(trx, token);
  if ("refused" in found) return found;
  await trx.updateTable("invitations").set({ uses: sql`uses + 1` }).where("id", "=", found.id)
    .execute();
  return found;
}
