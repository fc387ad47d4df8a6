/** What a person is told when a write cannot reach the database (it restarts, fails over). */
export const UNAVAILABLE_REASON =
  "The server cannot store messages right now; nothing was lost, try again";

// Socket-level failures the driver passes on as they are.
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

// node-postgres's own words for a connection that broke, or never came.
const DRIVER_WORDS =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Connection ended/i;

/**
 * True when an error means the database cannot be reached right now (not that the query was
 * wrong): a refused, reset or timed-out connection, or Postgres shutting down or starting
 * (SQLSTATE class 08, 57P01-57P03, too many connections). Such a write is refused with
 * UNAVAILABLE_REASON; anything else stays a bug.
 */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (NETWORK_CODES.has(code)) return true;
    if (/^08|^57P0[123]$|^53300$/.test(code)) return true;
  }
  return DRIVER_WORDS.test(error.message);
}
