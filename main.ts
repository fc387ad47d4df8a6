// Composition root: config -> database -> live engine (bus subscriptions) -> app -> Deno.serve.
import { type Config, readConfig } from "./config.ts";
import { openStore, type Store } from "./db/connect.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { startEngine } from "./live/engine.ts";
import { createApp } from "./routes/app.ts";
import type { Deps } from "./routes/env.ts";

/** Starts one instance; returns a handle to stop it (tests start several). */
export async function start(env: Record<string, string | undefined>) {
  const config = readConfig(env);
  const store = await openStore(config);
  await migrateToLatest(store.db);
  const deps = await wire(store, config);
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
  async function stop() {
    await bounded(deps.stop(), "presence goodbye");
    // 1012 (service restart) makes the htmx ws extension reconnect; SSE streams just end.
    await deps.hub.closeAll(1012, "Server restarting");
    // The listening socket closes at once; a request stuck on the database must not keep
    // the process from stopping, so each step gets a few seconds.
    await bounded(server.shutdown(), "open requests");
    await bounded(store.close(), "database connections");
  }
  return { config, server, stop, port: server.addr.port };
}

/** Waits for `work`, but at most `ms`; a step that overruns is logged and left behind. */
async function bounded(work: Promise<unknown>, what: string, ms = 5000) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => timer = setTimeout(() => resolve("late"), ms));
  const outcome = await Promise.race([work.then(() => "done"), late]).finally(() =>
    clearTimeout(timer)
  );
  if (outcome === "late") console.error(`Stopping: gave up waiting for ${what} after ${ms} ms`);
}

/** What every route gets: the store, the config, and the live engine listening on the bus. */
export async function wire(store: Store, config: Config): Promise<Deps> {
  const engine = await startEngine(store, config);
  return { ...engine, db: store.db, bus: store.bus, config };
}

if (import.meta.main) {
  const instance = await start(Deno.env.toObject()).catch((error) => {
    console.error(`Cannot start: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  });
  const { config } = instance;
  console.log(
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
