import type { Kysely } from "kysely";
import { claimInvitation } from "./invitations.ts";
import { type Registration, signupRefusal } from "./registration.ts";
import type { Database, User } from "./schema.ts";
import { insertUser, isUniqueViolation, lockSignups, noAdminYet } from "./users.ts";

/** A sign-up's account, a taken name, or a refusal with its reason. */
export type SignupOutcome = User | "taken" | { refused: string; status: 403 | 404 | 410 };

/** Who is signing up, how, and under which registration mode. */
export interface SignupInput {
  username: string;
  /** Null for a guest (only through a guests-only invitation). */
  passwordHash: string | null;
  email?: string | null;
  mode: Registration;
  /** The invitation link's token, when they came through one. */
  token?: string | null;
}

/**
 * Signs someone up under the registration mode, in one transaction: the mode's check, one
 * use of the invitation, and the account. A taken name rolls the use back. The first account
 * with a password becomes admin whatever the mode (db/registration.ts).
 */
export async function signUp(db: Kysely<Database>, input: SignupInput): Promise<SignupOutcome> {
  try {
    return await db.transaction().execute(async (trx) => {
      await lockSignups(trx);
      const firstAccount = input.passwordHash !== null && await noAdminYet(trx);
      const early = signupRefusal(input.mode === "closed" ? "closed" : "open", {
        invited: false,
        firstAccount,
      });
      if (early) return { refused: early, status: 403 as const };
      const invitation = input.token ? await claimInvitation(trx, input.token) : null;
      if (invitation && "refused" in invitation) return invitation;
      const refused = signupRefusal(input.mode, { invited: !!invitation, firstAccount });
      if (refused) return { refused, status: 403 as const };
      const asGuest = invitation?.guests_only || input.passwordHash === null;
      return await insertUser(trx, {
        username: input.username,
        passwordHash: asGuest ? null : input.passwordHash,
        role: asGuest ? "guest" : undefined,
        email: asGuest ? null : input.email,
        invitationId: invitation?.id ?? null,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return "taken";
    throw error;
  }
}
