// Shared test wiring: a database per test file (embedded in memory, or a fresh database on
// TEST_DATABASE_URL), the app in-process, and real servers on real ports when needed.
import { type Kysely, sql } from "kysely";
import postgres from "postgres";
import { readConfig } from "../config.ts";
import { openServer, type Store } from "../db/connect.ts";
import { openEmbedded } from "../db/embedded.ts";
import { migrateToLatest } from "../db/migrate.ts";
import type { MessageView } from "../db/messages.ts";
import type { Database } from "../db/schema.ts";
import { ClientIdReused, type SendOutcome } from "../db/send.ts";
import { start, wire } from "../main.ts";
import { createApp } from "../routes/app.ts";

/** The real server tests run against, when CI gives one. */
export const SERVER_URL = Deno.env.get("TEST_DATABASE_URL") ?? null;

/** Creates an empty database on the test server; returns its URL and a drop function. */
export async function freshDatabase(serverUrl: string) {
  const name = `chat_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists ${name} with (force)`);
      await sql.end();
    },
  };
}

/** Where a test's data lives: the embedded database in memory, or a fresh server database. */
export type StoreKind = "embedded" | "server";

/**
 * The stores a suite that must hold on both databases loops over: the embedded one always,
 * and the server when TEST_DATABASE_URL is set (CI sets it).
 */
export const STORES: StoreKind[] = SERVER_URL ? ["embedded", "server"] : ["embedded"];

/** A migrated store: a fresh server database when TEST_DATABASE_URL is set, else in memory. */
export async function testStore(
  kind: StoreKind = SERVER_URL ? "server" : "embedded",
): Promise<Store & { dispose(): Promise<void> }> {
  if (kind === "server" && SERVER_URL) {
    const fresh = await freshDatabase(SERVER_URL);
    const store = openServer(fresh.url, { max: 5 });
    await migrateToLatest(store.db);
    return { ...store, dispose: async () => (await store.close(), await fresh.drop()) };
  }
  const store = await openEmbedded(null);
  await migrateToLatest(store.db);
  return { ...store, dispose: () => store.close() };
}

/**
 * Empties every table but the migration log (data only; the schema stays migrated). A
 * connection of the previous test may still be closing (its presence row going), which can
 * deadlock with the truncate; Postgres then aborts the truncate, and it is simply tried again.
 */
export async function resetData(db: Kysely<Database>) {
  const { rows } = await sql<{ name: string }>`select quote_ident(tablename) as name
    from pg_tables where schemaname = current_schema() and tablename not like 'kysely_%'`
    .execute(db);
  const truncate = sql.raw(`truncate ${rows.map((r) => r.name).join(", ")} cascade`);
  for (let attempt = 1;; attempt++) {
    try {
      return void await truncate.execute(db);
    } catch (error) {
      if ((error as { code?: string }).code !== "40P01" || attempt === 5) throw error;
    }
  }
}

/** The app in-process for `app.request()`, on a test store. */
export async function testApp(env: Record<string, string> = {}, kind?: StoreKind) {
  const store = await testStore(kind);
  const config = readConfig({ SEND_RATE: "1000", GUEST_LIMIT: "0", ...env });
  const deps = await wire(store, config);
  const app = await createApp(deps);
  // Presence stops first so no live-connection bookkeeping queries race the store closing.
  return {
    app,
    deps,
    store,
    close: async () => (await deps.stop(), await store.dispose()),
  };
}

/** A send's stored message (or null when refused); a reused client_id fails the test. */
export function storedMessage(outcome: SendOutcome): MessageView | null {
  if (outcome instanceof ClientIdReused) throw new Error(outcome.reason);
  return outcome;
}

/** A running instance on a real port. */
export async function startServer(env: Record<string, string> = {}) {
  const instance = await start({
    PORT: "0",
    HOST: "127.0.0.1",
    SEND_RATE: "1000",
    GUEST_LIMIT: "0",
    ...env,
  });
  return { ...instance, base: `http://127.0.0.1:${instance.port}` };
}

/** Form headers with a same-site Origin, as a browser sends them. */
export function formInit(fields: Record<string, string>, extra: Record<string, string> = {}) {
  return {
    method: "POST",
    headers: { origin: "http://localhost", ...extra },
    body: new URLSearchParams(fields),
    redirect: "manual" as const,
  };
}

/** The session cookie pair (`sid=…`, or `__Host-sid=…` when Secure) from a response. */
export function sessionCookie(response: Response): string {
  const cookie = response.headers.getSetCookie().find((c) => /^(__Host-)?sid=/.test(c));
  if (!cookie) throw new Error(`No session cookie (status ${response.status})`);
  return cookie.split(";")[0];
}

/** In-process requests: a form post when `fields` are given (with this site's Origin), else a GET. */
export function requester(
  app: { request: (url: string, init: RequestInit) => Response | Promise<Response> },
) {
  return (path: string, fields?: Record<string, string>, headers: Record<string, string> = {}) => {
    const init = fields ? formInit(fields, headers) : { headers, redirect: "manual" as const };
    return Promise.resolve(app.request(`http://localhost${path}`, init));
  };
}
