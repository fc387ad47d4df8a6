// Composition root: config -> database -> live engine (bus subscriptions) -> app -> Deno.serve.
import { type Config, readConfig } from "./config.ts";
import { databaseTarget, openStore, type Store } from "./db/connect.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { startEngine } from "./live/engine.ts";
import { Metrics } from "./live/metrics.ts";
import { WebhookWorker } from "./live/webhook_worker.ts";
import { createApp } from "./routes/app.ts";
import type { Deps } from "./routes/env.ts";
import { configureLog, log } from "./log.ts";

/** Starts one instance; returns a handle to stop it (tests start several). */
export async function start(env: Record<string, string | undefined>) {
  const config = readConfig(env);
  configureLog(config.log);
  const store = await openStore(config);
  // The first query says whether the database is there: a wrong or silent one fails start-up
  // within the connect timeout, naming what was tried.
  await migrateToLatest(store.db).catch(async (error) => {
    await bounded(store.close(), "database connections", 1000);
    if (!config.databaseUrl) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot use the database ${databaseTarget(config.databaseUrl)}: ${why}`);
  });
  const deps = await wire(store, config);
  // Bots' outgoing webhooks: every instance delivers, claiming rows the others have not.
  const webhooks = new WebhookWorker(store.db);
  webhooks.start();
  const app = await createApp(deps);
  const tls = config.tls && {
    cert: await Deno.readTextFile(config.tls.certFile),
    key: await Deno.readTextFile(config.tls.keyFile),
  };
  const server = Deno.serve({
    port: config.port,
    hostname: config.host,
    onListen: () => {},
    ...tls,
  }, (req, info) => app.fetch(req, { remoteAddr: info.remoteAddr.hostname }));
  /**
   * Stops within 5 s whatever hangs (Deno Deploy kills 5 s after SIGINT): pages are told to
   * reconnect (1012) at once, and each step gets what is left of the budget.
   */
  async function stop() {
    const deadline = Date.now() + STOP_BUDGET_MS;
    const left = (cap: number) => Math.max(0, Math.min(cap, deadline - Date.now()));
    // Presence stops first (synchronously), so closing connections queue no leave queries.
    const goodbye = bounded(deps.stop(), "presence goodbye", left(2000));
    // 1012 (service restart) makes the htmx ws extension reconnect; SSE streams just end.
    const closing = deps.hub.closeAll(1012, "Server restarting", left(1000));
    // In-flight webhook POSTs are aborted; their rows are retried by whichever instance runs.
    const delivering = bounded(webhooks.stop(), "webhook deliveries", left(1000));
    await Promise.all([goodbye, closing, delivering]);
    // The listening socket closes at once; a request stuck on the database must not keep
    // the process from stopping.
    await bounded(server.shutdown(), "open requests", left(1500));
    await bounded(store.close(), "database connections", left(1000));
  }
  return { config, server, stop, port: server.addr.port };
}

/** All of stopping: under Deno Deploy's 5 s between SIGINT and the kill. */
const STOP_BUDGET_MS = 4500;

/** Waits for `work`, but at most `ms`; a step that overruns is logged and left behind. */
async function bounded(work: Promise<unknown>, what: string, ms = 5000) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => timer = setTimeout(() => resolve("late"), ms));
  const settled = work.then(() => "done", (error) => {
    log.error(`Stopping: ${what} failed: ${error instanceof Error ? error.message : error}`);
    return "done";
  });
  const outcome = await Promise.race([settled, late]).finally(() => clearTimeout(timer));
  if (outcome === "late") log.error(`Stopping: gave up waiting for ${what} after ${ms} ms`);
}

/** What every route gets: the store, the config, and the live engine listening on the bus. */
export async function wire(store: Store, config: Config): Promise<Deps> {
  const metrics = new Metrics();
  const engine = await startEngine({ ...store, bus: metrics.watchBus(store.bus) }, config);
  engine.hub.observe(metrics);
  metrics.attach({
    instanceId: config.instanceId,
    database: store.kind,
    connections: () => engine.hub.openByTransport(),
    listenerUp: () => store.bus.isUp(),
    pool: store.pool,
  });
  return { ...engine, db: store.db, bus: store.bus, config, metrics };
}

/**
 * The last line of defence: an error nothing caught means some part is in a state nobody
 * planned for. It is logged with the instance and its age, and the process exits at once
 * (non-zero) rather than live on half-broken: pages reconnect to another instance, and the
 * supervisor (Deploy, systemd, the dev watcher) starts a fresh one.
 */
function exitOnUncaught(instanceId: string) {
  const born = Date.now();
  const die = (kind: string, error: unknown) => {
    const age = Math.round((Date.now() - born) / 1000);
    log.error(`Instance ${instanceId} (up ${age} s): ${kind}, exiting`, { error });
    Deno.exit(70);
  };
  globalThis.addEventListener("error", (event) => die("uncaught error", event.error));
  globalThis.addEventListener(
    "unhandledrejection",
    (event) => die("unhandled rejection", event.reason),
  );
}

if (import.meta.main) {
  const instance = await start(Deno.env.toObject()).catch((error) => {
    log.error(`Cannot start: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  });
  const { config } = instance;
  exitOnUncaught(config.instanceId);
  log.info(
    `Chat instance ${config.instanceId} on ${
      config.tls ? "https" : "http"
    }://localhost:${instance.port} (${
      config.databaseUrl ? "Postgres server" : `embedded, ${config.dataDir}`
    })`,
  );
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    Deno.addSignalListener(signal, async () => {
      await instance.stop();
      Deno.exit(0);
    });
  }
}
