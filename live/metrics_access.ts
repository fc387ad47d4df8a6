// Who may read /metrics (config.ts reads it once; routes/metrics.ts enforces it).

/**
 * Off (404), open to anyone who can reach the server (METRICS=on: only behind a network that
 * keeps strangers out), or behind `Authorization: Bearer <METRICS_TOKEN>`.
 */
export type MetricsAccess = { kind: "off" } | { kind: "open" } | { kind: "token"; token: string };

/** A token shorter than this is refused: it must not be guessable. */
const MIN_TOKEN = 16;

/** Reads METRICS_TOKEN (wins when set) and METRICS (on | off, default off). */
export function readMetricsAccess(env: Record<string, string | undefined>): MetricsAccess {
  const token = env.METRICS_TOKEN?.trim();
  if (token) {
    if (token.length < MIN_TOKEN) {
      throw new Error(`METRICS_TOKEN must be at least ${MIN_TOKEN} characters long`);
    }
    return { kind: "token", token };
  }
  const switched = env.METRICS?.trim().toLowerCase() || "off";
  if (switched !== "on" && switched !== "off") {
    throw new Error(`METRICS must be on or off, got "${env.METRICS}"`);
  }
  return switched === "on" ? { kind: "open" } : { kind: "off" };
}
