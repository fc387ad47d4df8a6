// SMTP settings (SMTP_HOST, SMTP_PORT, SMTP_FROM, SMTP_USER, SMTP_PASSWORD, SMTP_TLS), read
// once by config.ts. Without SMTP_HOST nothing is mailed and "Forgot password?" is hidden.

/** off: plain text (a local relay only); starttls: upgrade after EHLO; tls: TLS from the start. */
export type SmtpTls = "off" | "starttls" | "tls";

/** How to reach the mail server that sends reset links. */
export interface SmtpConfig {
  host: string;
  port: number;
  from: string;
  tls: SmtpTls;
  auth: { user: string; password: string } | null;
}

const ADDRESS = /^[^\s<>@"]+@[^\s<>@"]+$/;

/** Reads SMTP_*; null without SMTP_HOST. Reset links by mail need ORIGIN (their address). */
export function readSmtp(
  env: Record<string, string | undefined>,
  origins: string[],
): SmtpConfig | null {
  const host = env.SMTP_HOST?.trim();
  if (!host) return null;
  if (!origins.length) {
    throw new Error("SMTP_HOST needs ORIGIN: mailed reset links must name the public address");
  }
  const from = env.SMTP_FROM?.trim() ?? "";
  if (!ADDRESS.test(from)) {
    throw new Error(`SMTP_FROM must be an address like chat@example.com, got "${from}"`);
  }
  const tls = env.SMTP_TLS?.trim() || (env.SMTP_PORT === "465" ? "tls" : "starttls");
  if (tls !== "off" && tls !== "starttls" && tls !== "tls") {
    throw new Error(`SMTP_TLS must be off, starttls or tls, got "${tls}"`);
  }
  const port = Number(env.SMTP_PORT ?? (tls === "tls" ? "465" : "587"));
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`SMTP_PORT must be a whole number from 1 to 65535, got "${env.SMTP_PORT}"`);
  }
  const [user, password] = [env.SMTP_USER ?? "", env.SMTP_PASSWORD ?? ""];
  if (!user !== !password) throw new Error("SMTP_USER and SMTP_PASSWORD must be set together");
  return { host, port, from, tls, auth: user ? { user, password } : null };
}
