// Who gets in: the registration mode, chosen by an admin (db/settings.ts stores it) or, until
// one does, the configured default (REGISTRATION, read once in config.ts).

/** open: anyone may sign up; invitation: only through a link; closed: nobody new. */
export type Registration = "open" | "invitation" | "closed";

/** Every mode, in the order the admin panel lists them. */
export const REGISTRATIONS: Registration[] = ["open", "invitation", "closed"];

/** Reads REGISTRATION (default invitation) with a clear error for anything else. */
export function readRegistration(env: Record<string, string | undefined>): Registration {
  const value = (env.REGISTRATION ?? "invitation").trim();
  if (!REGISTRATIONS.includes(value as Registration)) {
    throw new Error(`REGISTRATION must be open, invitation or closed, got "${value}"`);
  }
  return value as Registration;
}

/**
 * Why a sign-up is refused under the mode, or null. The very first account (no admin yet)
 * is always let in: it becomes the admin, who can then invite everyone else.
 */
export function signupRefusal(
  mode: Registration,
  ask: { invited: boolean; firstAccount: boolean },
): string | null {
  if (ask.firstAccount) return null;
  if (mode === "closed") return "Sign-up is closed here: ask an admin for an account";
  if (mode === "invitation" && !ask.invited) {
    return "Sign-up is by invitation only here: ask an admin for an invitation link";
  }
  return null;
}
