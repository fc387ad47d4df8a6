// PBKDF2-HMAC-SHA256 at OWASP's 2023 count, through WebCrypto so it runs natively on every
// target (Deno Deploy included). The parameters are stored with the hash so they can rise.
const ITERATIONS = 600_000;
const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number) {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

/** Hashes a password as `pbkdf2-sha256$iterations$salt$hash`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, ITERATIONS);
  return `pbkdf2-sha256$${ITERATIONS}$${toBase64(salt)}$${toBase64(hash)}`;
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, expected] = stored.split("$");
  if (scheme !== "pbkdf2-sha256" || !expected) return false;
  const actual = await derive(password, fromBase64(salt), Number(iterations));
  const wanted = fromBase64(expected);
  let diff = actual.length ^ wanted.length;
  for (let i = 0; i < actual.length; i++) diff |= actual[i] ^ (wanted[i] ?? 0);
  return diff === 0;
}

/** A hash of nothing anyone knows, with today's parameters; made on first use. */
let dummy: Promise<string> | null = null;

/**
 * Checks a password against a stored hash, or, when there is none (no such name, a guest, a
 * deactivated account), against a dummy one of the same cost, so the answer takes as long
 * either way and its timing does not tell whether a name exists.
 */
export async function verifyOrWaste(password: string, stored: string | null): Promise<boolean> {
  if (stored) return await verifyPassword(password, stored);
  dummy ??= hashPassword(crypto.randomUUID());
  await verifyPassword(password, await dummy);
  return false;
}

const COMMON = new Set([
  "password",
  "password1",
  "12345678",
  "123456789",
  "1234567890",
  "qwertyuiop",
  "iloveyou",
  "11111111",
  "letmein1",
  "baseball",
  "football",
  "sunshine",
  "princess",
  "welcome1",
  "passw0rd",
  "abc12345",
  "qwerty123",
]);

/** Why a password is too weak, or null when it is acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < 8) return "Password must be at least 8 characters";
  if (password.length > 200) return "Password must be at most 200 characters";
  if (password.toLowerCase() === username.toLowerCase()) {
    return "Password must not be the same as the username";
  }
  if (COMMON.has(password.toLowerCase()) || /^(.)\1+$/.test(password)) {
    return "That password is too common; choose another";
  }
  return null;
}
