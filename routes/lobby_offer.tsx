import { readSettings, registrationOf } from "../db/settings.ts";
import { noAdminYet } from "../db/users.ts";
import { type LobbyForm, type LobbyOffer, SignedOutLobby } from "../views/signed_out.tsx";
import type { Deps } from "./env.ts";

/**
 * What the signed-out lobby offers now: guests as the admin set them, sign-up as the
 * registration mode allows (always open while no admin exists: the first account founds the
 * instance), and "Forgot password?" when mail is configured.
 */
export async function lobbyOffer(deps: Deps): Promise<LobbyOffer> {
  const settings = await readSettings(deps.db);
  const mode = registrationOf(settings, deps.config.registration);
  const signup = mode === "open" || await noAdminYet(deps.db) ? "open" : mode;
  return { guests: settings.guestsEnabled, signup, forgot: deps.config.smtp !== null };
}

/** The signed-out lobby as it stands, with a failed form's reason when there is one. */
export async function signedOutLobby(deps: Deps, failed?: LobbyForm) {
  return <SignedOutLobby failed={failed} offer={await lobbyOffer(deps)} />;
}
