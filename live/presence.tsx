import type { Kysely } from "kysely";
import {
  displayNames,
  onlineCounts,
  onlineIn,
  refresh,
  removeInstance,
  sweepStale,
} from "../db/presence.ts";
import type { Database, Room, User } from "../db/schema.ts";
import { OnlineCount, OnlineFigures, onlineListFrames, RoomNotice } from "../views/online_list.tsx";
import type { ChatEvent } from "../db/events.ts";
import type { Subscriber } from "./hub.ts";
import { type Batch, planRoom, PresenceBatch, sendInTurns } from "./presence_batch.tsx";
import { PresenceWrites } from "./presence_writes.ts";
import { TypingLines } from "./typing.tsx";
import { log } from "../log.ts";

/** A room index stream: the rooms it may see, and how to write one pushed fragment. */
export interface Watcher {
  rooms: Set<string>;
  push(html: string): void;
}

/**
 * Timing of presence: each instance beats every `sweepMs` and sweeps the rows of instances
 * silent for `staleMs`.
 */
export interface PresenceOptions {
  instanceId: string;
  staleMs: number;
  sweepMs: number;
  /** Join and leave events of one room within this many ms go out as one push (default 250). */
  batchMs?: number;
}

/**
 * Presence per instance. Live connections report opening and closing here (live/live_socket.tsx
 * and live/page_stream.tsx); the rows in Postgres decide who is online across
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
  #batch: PresenceBatch;
  /** Per room, who the last pushed list named (ids in order). */
  #named = new Map<string, string>();
  readonly typing: TypingLines;
  #writes: PresenceWrites;

  constructor(private db: Kysely<Database>, private options: PresenceOptions) {
    this.#writes = new PresenceWrites(db, options.instanceId);
    this.typing = new TypingLines(db, (roomId) => this.#rooms.get(roomId) ?? []);
    this.#batch = new PresenceBatch(
      options.batchMs ?? 250,
      (batch) => this.#serially(() => this.#flush(batch)),
    );
  }

  /** A presence event from any instance: someone came or went. */
  onPresence(event: Extract<ChatEvent, { k: "presence" }>) {
    this.#batch.changed(event.r, event.u, event.on);
  }

  /** A typing event from any instance. */
  onTyping(event: Extract<ChatEvent, { k: "typing" }>) {
    this.#whileUp(() => this.typing.onTyping(event));
  }

  /** A room change: the typer's own message clears their typing line. */
  onRoom(event: Extract<ChatEvent, { k: "room" }>) {
    this.#whileUp(() => this.typing.onRoom(event));
  }

  /** After the listener (re)connects: every list and count again, in full. */
  catchUp() {
    this.#serially(() => this.#resendAll());
  }

  /**
   * A live connection to `room` opened; returns the call for when it closes. `greet` is false
   * for a page reconnecting, which has had its welcome.
   */
  enter(room: Room, user: User, sub: Subscriber, greet: boolean): () => void {
    // A connection racing a shutdown would leave a row behind for the sweep: skip it.
    if (this.#stopping) return () => {};
    const key = { roomId: room.id, userId: user.id, instanceId: this.options.instanceId };
    const subs = this.#rooms.get(room.id) ?? new Set();
    this.#rooms.set(room.id, subs.add(sub));
    let counted = false;
    const entered = this.#whileUp(async () => {
      const joined = await this.#writes.opened(key.roomId, key.userId);
      counted = true;
      // The welcome only on a real arrival, not a reconnect. The list comes with the room's
      // next batch, one render for everyone arriving then (a restart reconnects a whole room).
      const welcome = <RoomNotice text={`Welcome to #${room.slug}, ${user.display_name}`} />;
      if (joined && greet) sub.notice(String(welcome));
      this.#batch.arrived(room.id, sub);
    }).catch((error) => log.error("Presence connect failed", { error }));
    return () => {
      subs.delete(sub);
      if (!subs.size) this.#rooms.delete(room.id);
      // Only a connection that was counted is uncounted, once its count is in.
      entered.then(() =>
        counted ? this.#whileUp(() => this.#writes.closed(key.roomId, key.userId)) : undefined
      )
        .catch((error) => log.error("Presence disconnect failed", { error }));
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

  /** Starts this instance's heartbeat (one beat now) and sweeping dead instances' rows. */
  start() {
    const { instanceId, staleMs, sweepMs } = this.options;
    const beat = () =>
      this.#whileUp(() => refresh(this.db, instanceId).then(() => sweepStale(this.db, staleMs)))
        .catch((error) => log.error("Presence sweep failed", { error: error?.message ?? error }));
    beat();
    this.#timer = setInterval(beat, sweepMs);
  }

  /** Clean shutdown: this instance's rows go now, announcing who left. */
  async stop() {
    this.#stopping = true;
    clearInterval(this.#timer);
    this.#batch.cancel();
    await Promise.allSettled([this.#chain, ...this.#pending]);
    await removeInstance(this.db, this.options.instanceId)
      .catch((error) => log.error("Presence goodbye failed", { error }));
  }

  // Events are handled one at a time so a later list never loses to an earlier one.
  #serially(run: () => Promise<void>) {
    this.#chain = this.#chain.then(() => this.#whileUp(run))
      .catch((error) => log.error("Presence update failed", { error }));
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

  async #flush({ changes, arrivals }: Batch) {
    for (const roomId of new Set([...changes.keys(), ...arrivals.keys()])) {
      const subs = this.#rooms.get(roomId);
      if (!subs?.size) {
        this.#named.delete(roomId);
        continue;
      }
      const online = await onlineIn(this.db, roomId);
      const list = onlineListFrames(online);
      const changed = changes.get(roomId) ?? new Map<string, boolean>();
      const arrived = arrivals.get(roomId) ?? new Set();
      const names = await displayNames(this.db, [...changed.keys()]);
      // Readers already here get the figures alone when the named people are the same (in a
      // crowd, most comings and goings are beyond the first names).
      const named = online.users.map((u) => u.id).join();
      const unchanged = this.#named.get(roomId) === named;
      this.#named.set(roomId, named);
      const update = unchanged ? [String(<OnlineFigures online={online} />)] : list;
      await sendInTurns(planRoom(subs, { list, update, changed, arrived, names }));
    }
    await this.#pushCounts([...changes.keys()]);
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
      const online = await onlineIn(this.db, roomId);
      this.#named.set(roomId, online.users.map((u) => u.id).join());
      const list = onlineListFrames(online);
      await sendInTurns([...subs].map((sub) => [sub, list]));
    }
    await this.#pushCounts([...new Set([...this.#watchers].flatMap((w) => [...w.rooms]))]);
  }
}
