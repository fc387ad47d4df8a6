import type { Kysely } from "kysely";
import type { ChatEvent } from "../db/events.ts";
import {
  connect,
  disconnect,
  displayNames,
  onlineCounts,
  onlineIn,
  refresh,
  removeInstance,
  sweepStale,
} from "../db/presence.ts";
import type { Database, Room, User } from "../db/schema.ts";
import { OnlineCount, OnlineList, RoomNotice } from "../views/online_list.tsx";
import type { Fanout } from "./fanout.ts";
import type { Subscriber } from "./hub.ts";
import { TypingLines } from "./typing.tsx";

/** A room index stream: the rooms it may see, and how to write one pushed fragment. */
export interface Watcher {
  rooms: Set<string>;
  push(html: string): void;
}

/** Timing of presence rows: each instance refreshes its own and sweeps stale ones. */
export interface PresenceOptions {
  instanceId: string;
  staleMs: number;
  sweepMs: number;
  /** Join and leave events of one room within this many ms go out as one push (default 250). */
  batchMs?: number;
}

/**
 * Presence per instance. Live connections report opening and closing here (one hook each in
 * routes/live.tsx and routes/events.ts); the rows in Postgres decide who is online across
 * instances, and join/leave events from any instance are rendered once here and pushed to
 * this instance's subscribers of that room and room index streams.
 */
export class Presence {
  #rooms = new Map<string, Set<Subscriber>>();
  #watchers = new Set<Watcher>();
  #chain: Promise<unknown> = Promise.resolve();
  #timer: ReturnType<typeof setInterval> | undefined;
  #stopping = false;
  #pending = new Set<Promise<unknown>>();
  // Per room, who joined (true) or left (false) since the last push; see #mark.
  #dirty = new Map<string, Map<string, boolean>>();
  // Per room, new subscribers still waiting for their first list.
  #fresh = new Map<string, Set<Subscriber>>();
  #batch: ReturnType<typeof setTimeout> | undefined;
  readonly typing: TypingLines;

  constructor(private db: Kysely<Database>, private options: PresenceOptions) {
    this.typing = new TypingLines(db, (roomId) => this.#rooms.get(roomId) ?? []);
  }

  /** Registers the bus handlers: presence changes, typing, room changes, reconnects. */
  wire(fanout: Fanout) {
    fanout.on("presence", (event) => this.#mark(event));
    fanout.on("typing", (event) => this.#whileUp(() => this.typing.onTyping(event)));
    fanout.on("room", (event) => this.#whileUp(() => this.typing.onRoom(event)));
    fanout.onListen(() => this.#serially(() => this.#resendAll()));
  }

  /** A live connection to `room` opened; returns the call for when it closes. */
  enter(room: Room, user: User, sub: Subscriber): () => void {
    // A connection racing a shutdown would leave a row behind for the sweep: skip it.
    if (this.#stopping) return () => {};
    const key = { roomId: room.id, userId: user.id, instanceId: this.options.instanceId };
    const subs = this.#rooms.get(room.id) ?? new Set();
    this.#rooms.set(room.id, subs.add(sub));
    let counted = false;
    const entered = this.#whileUp(async () => {
      const joined = await connect(this.db, key);
      counted = true;
      // The welcome only on a real arrival. The list comes with the room's next batch, one
      // render for everyone arriving then (a restart reconnects a whole room at once).
      const welcome = <RoomNotice text={`Welcome to #${room.slug}, ${user.display_name}`} />;
      if (joined) sub.notice(String(welcome));
      const fresh = this.#fresh.get(room.id) ?? new Set();
      this.#fresh.set(room.id, fresh.add(sub));
      this.#schedule();
    }).catch((error) => console.error("Presence connect failed:", error));
    return () => {
      subs.delete(sub);
      if (!subs.size) this.#rooms.delete(room.id);
      // Only a connection that was counted is uncounted, once its count is in.
      entered.then(() => counted ? this.#whileUp(() => disconnect(this.db, key)) : undefined)
        .catch((error) => console.error("Presence disconnect failed:", error));
    };
  }

  /** True once shutdown has begun (new index streams are refused so shutdown can finish). */
  get stopping(): boolean {
    return this.#stopping;
  }

  /** Adds a room index stream; returns its removal. */
  watch(watcher: Watcher): () => void {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  /** A typing frame from a person in a room (rate-limited and checked in the typing lines). */
  typed(room: Room, user: User) {
    this.#whileUp(() => this.typing.typed(room.id, user.id));
  }

  /** Starts refreshing this instance's rows and sweeping everyone's stale ones. */
  start() {
    const { instanceId, staleMs, sweepMs } = this.options;
    this.#timer = setInterval(() => {
      this.#whileUp(() => refresh(this.db, instanceId).then(() => sweepStale(this.db, staleMs)))
        .catch((error) => console.error("Presence sweep failed:", error?.message ?? error));
    }, sweepMs);
  }

  /** Clean shutdown: this instance's rows go now, announcing who left. */
  async stop() {
    this.#stopping = true;
    clearInterval(this.#timer);
    clearTimeout(this.#batch);
    await Promise.allSettled([this.#chain, ...this.#pending]);
    await removeInstance(this.db, this.options.instanceId)
      .catch((error) => console.error("Presence goodbye failed:", error));
  }

  // Events are handled one at a time so a later list never loses to an earlier one.
  #serially(run: () => Promise<void>) {
    this.#chain = this.#chain.then(() => this.#whileUp(run))
      .catch((error) => console.error("Presence update failed:", error));
  }

  // Database work runs only until shutdown begins, and shutdown waits for what is running:
  // a query started while the store closes would keep it from closing.
  #whileUp<T>(run: () => Promise<T>): Promise<T | undefined> {
    if (this.#stopping) return Promise.resolve(undefined);
    const running = run();
    this.#pending.add(running);
    running.finally(() => this.#pending.delete(running)).catch(() => {});
    return running;
  }

  /**
   * Collects a join or leave. When a whole room arrives at once (a restart, a meeting) every
   * arrival would otherwise push the full list to everyone: N² pushes. Within one batch a
   * room gets one list and one line per kind ("Ana, Bo and 12 others joined"); someone who
   * left and came back within it (a reconnect) cancels out.
   */
  #mark(event: Extract<ChatEvent, { k: "presence" }>) {
    const changes = this.#dirty.get(event.r) ?? new Map<string, boolean>();
    this.#dirty.set(event.r, changes);
    if (changes.get(event.u) === !event.on) changes.delete(event.u);
    else changes.set(event.u, event.on);
    this.#schedule();
  }

  #schedule() {
    this.#batch ??= setTimeout(() => {
      this.#batch = undefined;
      this.#serially(() => this.#flush());
    }, this.options.batchMs ?? 250);
  }

  async #flush() {
    const { dirty, fresh } = { dirty: this.#dirty, fresh: this.#fresh };
    this.#dirty = new Map();
    this.#fresh = new Map();
    for (const roomId of new Set([...dirty.keys(), ...fresh.keys()])) {
      const subs = this.#rooms.get(roomId);
      if (!subs?.size) continue;
      const list = String(<OnlineList online={await onlineIn(this.db, roomId)} oob />);
      const changes = dirty.get(roomId) ?? new Map<string, boolean>();
      const arrived = fresh.get(roomId) ?? new Set();
      const names = await displayNames(this.db, [...changes.keys()]);
      // One render for everyone; people in the batch get theirs without their own line.
      const others = list + notices(changes, names);
      for (const sub of [...subs]) {
        if (arrived.has(sub) || changes.has(sub.userId)) {
          sub.notice(list + notices(changes, names, sub.userId));
        } else if (changes.size) sub.notice(others);
      }
    }
    await this.#pushCounts([...dirty.keys()]);
  }

  async #pushCounts(roomIds: string[]) {
    const wanted = roomIds.filter((id) => [...this.#watchers].some((w) => w.rooms.has(id)));
    const counts = await onlineCounts(this.db, wanted);
    for (const id of wanted) {
      const html = String(<OnlineCount roomId={id} count={counts.get(id) ?? 0} oob />);
      for (const w of this.#watchers) if (w.rooms.has(id)) w.push(html);
    }
  }

  // NOTIFYs are lost while the listener reconnects: re-send every list and count in full.
  async #resendAll() {
    for (const [roomId, subs] of this.#rooms) {
      const list = String(<OnlineList online={await onlineIn(this.db, roomId)} oob />);
      for (const sub of [...subs]) sub.notice(list);
    }
    await this.#pushCounts([...new Set([...this.#watchers].flatMap((w) => [...w.rooms]))]);
  }
}

/** "Ana", "Ana and Bo", "Ana, Bo and Cy", "Ana, Bo and 12 others". */
export function listNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  if (names.length <= 3) return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return `${names.slice(0, 2).join(", ")} and ${names.length - 2} others`;
}

/** The quiet "… joined" and "… left" lines of one batch, leaving out `except` (the reader). */
function notices(changes: Map<string, boolean>, names: Map<string, string>, except?: string) {
  const line = (on: boolean) => {
    const who = [...changes].filter(([id, joined]) => joined === on && id !== except)
      .map(([id]) => names.get(id) ?? "Someone").sort();
    const text = `${listNames(who)} ${on ? "joined" : "left"}`;
    return who.length ? String(<RoomNotice text={text} kind="presence" />) : "";
  };
  return line(true) + line(false);
}
