// The realtime engine of one instance, built once in main.ts: every bus subscription is
// registered here and nowhere else, so what happens on an event is read in one place.
import type { Config } from "../config.ts";
import type { Store } from "../db/connect.ts";
import type { ChatEvent } from "../db/events.ts";
import { startHeartbeat } from "../db/heartbeat.ts";
import { SendBatcher } from "../db/send_batch.ts";
import { accessChanged } from "./access_events.tsx";
import { Fanout } from "./fanout.ts";
import { Hub } from "./hub.ts";
import { InboxHub } from "./inbox_hub.tsx";
import { PersonFeeds } from "./person_feeds.tsx";
import { Presence } from "./presence.tsx";
import { RateLimiter } from "./rate.ts";
import { SessionCheck } from "./session_check.ts";
import { sessionEnded } from "./session_events.tsx";
import { UnreadHub } from "./unread_hub.tsx";

/** The engine's parts that routes and connections use. */
export interface Engine {
  /** The room fan-out and this instance's connection registry. */
  hub: Hub;
  /** Bus events by kind (tests dispatch through it as the listener would). */
  fanout: Fanout;
  /** Who is online and who is typing. */
  presence: Presence;
  /** The inbox badge and notices, per person. */
  inbox: InboxHub;
  /** Live unread counts, per person. */
  unread: UnreadHub;
  /** A person's feeds on their page's one connection. */
  feeds: PersonFeeds;
  /** The per-person send rate. */
  limiter: RateLimiter;
  /** Stores messages, committing concurrent sends to one room together. */
  sends: SendBatcher;
  /** Whether a WebSocket's session still holds, checked before each frame is stored. */
  sessions: SessionCheck;
  /** Stops the timers the engine runs (presence beats, the listener heartbeat). */
  stop(): Promise<void>;
}

/** Builds the engine on an open store, subscribes it to the bus and starts listening. */
export async function startEngine(store: Store, config: Config): Promise<Engine> {
  const db = store.db;
  const hub = new Hub(db);
  const presence = new Presence(db, { instanceId: config.instanceId, ...config.presence });
  const inbox = new InboxHub(db);
  const unread = new UnreadHub(db);
  const heartbeat = startHeartbeat(store, config.instanceId);
  const fanout = subscribe({ hub, presence, inbox, unread, db, heartbeat });
  await store.bus.start({
    onEvent: (event) => fanout.dispatch(event),
    onListen: () => fanout.listened(),
  });
  // Serve only once events can arrive: a notice sent before the first LISTEN would be lost
  // (the catch-up restores counts and rooms, not one-off notices).
  for (let waited = 0; !store.bus.isUp() && waited < 10_000; waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  presence.start();
  return {
    hub,
    fanout,
    presence,
    inbox,
    unread,
    feeds: new PersonFeeds(db, { presence, unread, inbox }),
    limiter: new RateLimiter(config.sendRate, config.sendRate * 2),
    sends: new SendBatcher(db, hub),
    sessions: new SessionCheck(db),
    stop: async () => (heartbeat.stop(), await presence.stop()),
  };
}

/** Every bus subscription of the instance: event kind -> who handles it. */
function subscribe(parts: {
  hub: Hub;
  presence: Presence;
  inbox: InboxHub;
  unread: UnreadHub;
  db: Store["db"];
  heartbeat: { beat(event: ChatEvent): void };
}): Fanout {
  const { hub, presence, inbox, unread, heartbeat } = parts;
  const fanout = new Fanout();
  fanout.on("room", (event) => hub.onEvent(event));
  fanout.on("room", (event) => presence.onRoom(event));
  fanout.on("room", (event) => unread.onRoom(event));
  fanout.on("user", (event) => inbox.onEvent(event));
  fanout.on("user", (event) => unread.onUser(event));
  fanout.on("presence", (event) => presence.onPresence(event));
  fanout.on("typing", (event) => presence.onTyping(event));
  fanout.on("access", (event) => accessChanged(parts, event));
  fanout.on("session", (event) => sessionEnded(parts, event));
  fanout.on("hb", (event) => heartbeat.beat(event));
  // NOTIFYs are lost while the listener reconnects: everything re-reads its tables.
  fanout.onListen(() => hub.catchUp());
  fanout.onListen(() => presence.catchUp());
  fanout.onListen(() => unread.catchUp());
  fanout.onListen(() => inbox.catchUp());
  return fanout;
}
