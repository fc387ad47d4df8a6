// Composition root: config -> database -> bus -> hub -> app -> Deno.serve.
import { type Config, readConfig } from "./config.ts";
import { openStore, type Store } from "./db/connect.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { startHeartbeat } from "./db/heartbeat.ts";
import { SendBatcher } from "./db/send_batch.ts";
import { createApp } from "./routes/app.ts";
import type { Deps } from "./routes/env.ts";
import { Fanout } from "./routes/fanout.ts";
import { Hub } from "./routes/hub.ts";
import { Presence } from "./routes/presence.tsx";
import { RateLimiter } from "./routes/rate.ts";
import { SessionCheck } from "./routes/session_check.ts";
import { watchSessions } from "./routes/session_events.tsx";

/** Starts one instance; returns a handle to stop it (tests start several). */
export async function start(env: Record<string, string | undefined>) {
  const config = readConfig(env);
  const store = await openStore(config);
  await migrateToLatest(store.db);
  const heartbeat = startHeartbeat(store, config.instanceId);
  const deps = await wire(store, config);
  deps.fanout.on("hb", (event) => heartbeat.beat(event));
  deps.presence.start();
  const app = await createApp(deps);
  const server = Deno.serve({
    port: config.port,
    hostname: config.host,
    onListen: () => {},
  }, (req, info) => app.fetch(req, { remoteAddr: info.remoteAddr.hostname }));
  async function stop() {
    heartbeat.stop();
    await bounded(deps.presence.stop(), "presence goodbye");
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

/** The shared parts every route gets: the hub, the event fan-out (listening) and the limiter. */
export async function wire(store: Store, config: Config): Promise<Deps> {
  const hub = new Hub(store.db);
  const fanout = new Fanout();
  fanout.on("room", (event) => hub.onEvent(event));
  fanout.onListen(() => hub.catchUp());
  const presence = new Presence(store.db, { instanceId: config.instanceId, ...config.presence });
  presence.wire(fanout);
  await store.bus.start({
    onEvent: (event) => fanout.dispatch(event),
    onListen: () => fanout.listened(),
  });
  // Serve only once events can arrive: a notice sent before the first LISTEN would be lost
  // (the catch-up restores counts and rooms, not one-off notices).
  for (let waited = 0; !store.bus.isUp() && waited < 10_000; waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const limiter = new RateLimiter(config.sendRate, config.sendRate * 2);
  const sends = new SendBatcher(store.db, hub);
  const sessions = new SessionCheck(store.db);
  const deps = {
    db: store.db,
    bus: store.bus,
    hub,
    fanout,
    config,
    limiter,
    presence,
    sends,
    sessions,
  };
  watchSessions(deps);
  return deps;
}

if (import.meta.main) {
  const instance = await start(Deno.env.toObject()).catch((error) => {
    console.error(`Cannot start: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  });
  const { config } = instance;
  console.log(
    `Chat instance ${config.instanceId} on http://localhost:${instance.port} (${
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
