import { type Cidr, parseCidr } from "./routes/ip.ts";
import { readRegistration, type Registration } from "./db/registration.ts";
import { readSmtp, type SmtpConfig } from "./mail/smtp_config.ts";
import { type LogSettings, readLogSettings } from "./log.ts";
import { type MetricsAccess, readMetricsAccess } from "./live/metrics_access.ts";

/** Runtime configuration, read once at start and validated. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null;
  /**
   * The LISTEN connection's own URL (DATABASE_LISTEN_URL), for providers whose DATABASE_URL goes
   * through a transaction pooler, where LISTEN cannot work; null: DATABASE_URL.
   */
  databaseListenUrl: string | null;
  /** Query connections per instance (DATABASE_POOL_SIZE), besides the one listener. */
  poolSize: number;
  dataDir: string;
  origins: string[];
  /**
   * Whether the session cookie is Secure (and named `__Host-sid`): the first ORIGIN's scheme
   * decides; null without ORIGIN, when each request's own URL scheme decides.
   */
  secureCookies: boolean | null;
  /** Peers whose X-Forwarded-For is believed (routes/client_address.ts). */
  trustedProxies: Cidr[];
  /** Failed logins slow the next attempt: `delayMs` doubling per failure, up to `maxDelayMs`. */
  login: { delayMs: number; maxDelayMs: number };
  /** Guest sessions one client address may start per 10 minutes (0: no limit). */
  guestLimit: number;
  instanceId: string;
  /** Messages a person may send per second, per instance (bursts of twice that). */
  sendRate: number;
  /** An instance silent this long is dead (its presence rows are swept); it beats this often. */
  presence: { staleMs: number; sweepMs: number };
  /**
   * PEM files to serve HTTPS (and so HTTP/2) directly; null: plain HTTP, for a proxy that
   * terminates TLS. Over HTTP/1.1 a browser holds at most six connections per site, so pages
   * on the SSE transport need HTTP/2 beyond five tabs.
   */
  tls: { certFile: string; keyFile: string } | null;
  /** Who may sign up until an admin chooses in the panel (REGISTRATION, default invitation). */
  registration: Registration;
  /** The mail server for reset links (SMTP_*); null: no mail, admins hand links out. */
  smtp: SmtpConfig | null;
  /** What the log keeps (LOG_LEVEL) and how each line is written (LOG_FORMAT). */
  log: LogSettings;
  /** Who may read /metrics: off, anyone who can reach it (METRICS=on), or a bearer token. */
  metrics: MetricsAccess;
  /** The most bytes of files one message carries (FILE_MAX_BYTES; routes/room_files.tsx). */
  fileMaxBytes: number;
}

/** Reads and validates configuration from an environment map. */
export function readConfig(env: Record<string, string | undefined>): Config {
  const port = Number(env.PORT ?? "8000");
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, got "${env.PORT}"`);
  }
  const origins = (env.ORIGIN ?? "").split(",").map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      throw new Error(`ORIGIN must list origins like https://chat.example.com, got "${origin}"`);
    }
  }
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error("DATABASE_URL must start with postgres:// or postgresql://");
  }
  const sendRate = Number(env.SEND_RATE ?? "5");
  if (!(sendRate > 0)) {
    throw new Error(`SEND_RATE must be a positive number, got "${env.SEND_RATE}"`);
  }
  const [certFile, keyFile] = [env.TLS_CERT_FILE?.trim(), env.TLS_KEY_FILE?.trim()];
  if (!certFile !== !keyFile) {
    throw new Error("TLS_CERT_FILE and TLS_KEY_FILE must be set together (or neither)");
  }
  return {
    tls: certFile && keyFile ? { certFile, keyFile } : null,
    registration: readRegistration(env),
    smtp: readSmtp(env, origins),
    log: readLogSettings(env),
    metrics: readMetricsAccess(env),
    fileMaxBytes: readFileMax(env),
    secureCookies: origins.length ? origins[0].startsWith("https:") : null,
    trustedProxies: readProxies(env.TRUSTED_PROXIES),
    login: readLogin(env),
    guestLimit: wholeNumber(env, "GUEST_LIMIT", 10),
    sendRate,
    presence: readPresence(env),
    port,
    host: env.HOST ?? "0.0.0.0",
    databaseUrl,
    databaseListenUrl: readListenUrl(env, databaseUrl),
    poolSize: readPoolSize(env),
    dataDir: env.DATA_DIR ?? "./.data",
    origins,
    instanceId: env.INSTANCE_ID ?? crypto.randomUUID().slice(0, 8),
  };
}

function readListenUrl(env: Record<string, string | undefined>, databaseUrl: string | null) {
  const url = env.DATABASE_LISTEN_URL?.trim() || null;
  if (url && !databaseUrl) {
    throw new Error(
      "DATABASE_LISTEN_URL needs DATABASE_URL (the embedded database listens itself)",
    );
  }
  if (url && !/^postgres(ql)?:\/\//.test(url)) {
    throw new Error("DATABASE_LISTEN_URL must start with postgres:// or postgresql://");
  }
  return url;
}

/** A file's size is stored as an integer, and a request this large is held in memory. */
const MAX_FILE_MAX_BYTES = 1024 * 1024 * 1024;

function readFileMax(env: Record<string, string | undefined>) {
  const bytes = Number(env.FILE_MAX_BYTES?.trim() || String(10 * 1024 * 1024));
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > MAX_FILE_MAX_BYTES) {
    throw new Error(
      `FILE_MAX_BYTES must be a whole number of bytes from 1 to ${MAX_FILE_MAX_BYTES}, got "${env.FILE_MAX_BYTES}"`,
    );
  }
  return bytes;
}

/** Postgres allows 100 connections by default; one instance taking more is a typo. */
const MAX_POOL_SIZE = 100;

function readPoolSize(env: Record<string, string | undefined>) {
  const size = Number(env.DATABASE_POOL_SIZE?.trim() || "10");
  if (!Number.isInteger(size) || size < 1 || size > MAX_POOL_SIZE) {
    throw new Error(
      `DATABASE_POOL_SIZE must be a whole number from 1 to ${MAX_POOL_SIZE}, got "${env.DATABASE_POOL_SIZE}"`,
    );
  }
  return size;
}

function readPresence(env: Record<string, string | undefined>) {
  const staleMs = Number(env.PRESENCE_STALE_MS ?? "30000");
  const sweepMs = Number(env.PRESENCE_SWEEP_MS ?? "10000");
  if (!Number.isInteger(sweepMs) || sweepMs < 10) {
    throw new Error(
      `PRESENCE_SWEEP_MS must be a whole number of at least 10, got "${env.PRESENCE_SWEEP_MS}"`,
    );
  }
  // Each instance beats at every sweep, so a live one must stay fresh across one interval.
  if (!Number.isInteger(staleMs) || staleMs < 2 * sweepMs) {
    throw new Error(
      `PRESENCE_STALE_MS must be a whole number of at least twice PRESENCE_SWEEP_MS, got "${staleMs}"`,
    );
  }
  return { staleMs, sweepMs };
}

function wholeNumber(env: Record<string, string | undefined>, name: string, fallback: number) {
  const value = Number(env[name] ?? String(fallback));
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number of at least 0, got "${env[name]}"`);
  }
  return value;
}

function readLogin(env: Record<string, string | undefined>) {
  const delayMs = wholeNumber(env, "LOGIN_DELAY_MS", 250);
  const maxDelayMs = wholeNumber(env, "LOGIN_DELAY_MAX_MS", 4000);
  if (maxDelayMs < delayMs) {
    throw new Error(`LOGIN_DELAY_MAX_MS must be at least LOGIN_DELAY_MS, got "${maxDelayMs}"`);
  }
  return { delayMs, maxDelayMs };
}

function readProxies(list: string | undefined): Cidr[] {
  return (list ?? "").split(",").map((p) => p.trim()).filter(Boolean).map((entry) => {
    const cidr = parseCidr(entry);
    if (!cidr) {
      throw new Error(
        `TRUSTED_PROXIES must list IP addresses or ranges like 10.0.0.0/8, got "${entry}"`,
      );
    }
    return cidr;
  });
}
