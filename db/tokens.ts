// Link tokens (invitations, password resets): `<row id>.<secret>`. Only the secret's SHA-256
// is stored, like a session's; a lookup goes by the id, and the hashes are compared in
// constant time, so neither the database nor the timing tells how much of a guess was right.
import { sessionHash } from "./sessions.ts";
import { newId } from "./users.ts";

/** A new row id, the token to hand out, and the hash to store. */
export function mintToken(): { id: string; token: string; secretHash: string } {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  const secret = btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_");
  const id = newId();
  return { id, token: `${id}.${secret}`, secretHash: sessionHash(secret) };
}

/** The row id a token names, or null when it is not shaped like one of ours. */
export function tokenId(token: string): string | null {
  const match = /^([0-9A-Z]{26})\.([A-Za-z0-9_-]{32})$/.exec(token);
  return match ? match[1] : null;
}

/** True when the token's secret matches the stored hash (constant time). */
export function secretMatches(token: string, storedHash: string): boolean {
  const actual = sessionHash(token.slice(token.indexOf(".") + 1));
  let diff = actual.length ^ storedHash.length;
  for (let i = 0; i < actual.length; i++) {
    diff |= actual.charCodeAt(i) ^ (storedHash.charCodeAt(i) || 0);
  }
  return diff === 0;
}

/** A link that does not work: why, and 404 (no such link) or 410 (it worked once). */
export type LinkRefusal = { refused: string; status: 404 | 410 };
