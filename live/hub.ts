import type { Kysely } from "kysely";
import type { ChatEvent } from "../db/events.ts";
import { changesSince, type MessageView } from "../db/messages.ts";
import type { Database } from "../db/schema.ts";
import { LiveConnections } from "./connections.ts";
import { deliver, type Frame } from "./frames.ts";
import type { FanoutPath, Metrics } from "./metrics.ts";
import { log } from "../log.ts";

/** A local live connection (WebSocket or SSE) watching one room. */
export interface Subscriber {
  userId: string;
  /** The last room version this connection has been sent. */
  cursor: number;
  /** Writes a frame that brings the page to `frame.version`. */
  send(frame: Frame): void;
  /** Sends something that is not part of the room log (presence, typing, notices). */
  notice(html: string): void;
  close(code: number, reason: string): void;
  /** Called once the subscriber has everything up to the room's current version. */
  caughtUp?(): void;
}

interface Channel {
  subs: Set<Subscriber>;
  joining: Subscriber[];
  /** Joined, but not yet told they are up to date. */
  catching: Subscriber[];
  version: number;
  wanted: number;
  pumping: boolean;
  /** When the oldest NOTIFY not yet served arrived (performance.now()); 0: none. */
  notified: number;
}

const BATCH = 500;

/**
 * The per-instance fan-out. A NOTIFY only wakes a room up; the room's changes are read once
 * from the table, rendered once per distinct cursor (in steady state one render for
 * everyone), and the same bytes go to every local subscriber. Joins and catch-ups run in
 * the same serial loop, so a subscriber never misses or repeats a change.
 */
export class Hub extends LiveConnections {
  #channels = new Map<string, Channel>();
  #storing = new Set<string>();
  #metrics: Metrics | null = null;
  constructor(private db: Kysely<Database>) {
    super();
  }

  /** Counts what this hub stores and delivers, and how long its fan-outs take (/metrics). */
  observe(metrics: Metrics) {
    this.#metrics = metrics;
  }

  /** Adds a subscriber; it first receives everything after its cursor. */
  subscribe(roomId: string, sub: Subscriber): () => void {
    let ch = this.#channels.get(roomId);
    if (!ch) {
      ch = {
        subs: new Set(),
        joining: [],
        catching: [],
        version: sub.cursor,
        wanted: 0,
        pumping: false,
        notified: 0,
      };
      this.#channels.set(roomId, ch);
    } else if (sub.cursor === ch.version && !ch.pumping && ch.wanted <= ch.version) {
      // As current as everyone here: whatever comes next reaches it with them, no read needed
      // (a restart brings a room's readers back at once; each would otherwise cost a query).
      ch.subs.add(sub);
      sub.caughtUp?.();
      return () => this.#unsubscribe(roomId, sub);
    }
    ch.joining.push(sub);
    this.#pump(roomId, ch);
    return () => this.#unsubscribe(roomId, sub);
  }

  #unsubscribe(roomId: string, sub: Subscriber) {
    const ch = this.#channels.get(roomId);
    if (!ch) return;
    ch.subs.delete(sub);
    ch.joining = ch.joining.filter((s) => s !== sub);
    ch.catching = ch.catching.filter((s) => s !== sub);
    if (!ch.subs.size && !ch.joining.length && !ch.pumping) this.#channels.delete(roomId);
  }

  /**
   * Handles a bus event: a room change wakes that room if anyone here watches it (after the
   * write in flight here, if there is one: see storing).
   */
  onEvent(event: ChatEvent) {
    if (event.k !== "room") return;
    const ch = this.#channels.get(event.r);
    if (!ch || event.v <= ch.version) return;
    ch.wanted = Math.max(ch.wanted, event.v);
    ch.notified ||= performance.now();
    if (!this.#storing.has(event.r)) this.#pump(event.r, ch);
  }

  /**
   * A send on this instance is writing to a room (see SendBatcher). Until it ends, the room's
   * NOTIFYs only mark what is wanted: the write's own rows will bring the room forward.
   */
  storing(roomId: string) {
    this.#storing.add(roomId);
  }

  /**
   * A send on this instance has written to a room. When everyone here has been sent the room
   * up to the version just before its messages, they go out now, from the rows the send
   * returned, instead of after their NOTIFY has come back and the room has been read again;
   * that NOTIFY then finds nothing new. Anything else (a gap: another instance's or an edit's
   * change; a read in flight; someone joining) is read from the table as usual.
   */
  stored(roomId: string, written: MessageView[]) {
    const started = performance.now();
    this.#storing.delete(roomId);
    this.#metrics?.stored(written.length);
    const ch = this.#channels.get(roomId);
    if (!ch) return;
    // Only this room's rows, whatever a send returned: another room's readers never see them.
    const messages = written.filter((m) => m.room_id === roomId);
    // The rows come in version order; the next ones only if they follow on from ch.version.
    const next = messages.length &&
      messages.every((m, i) => m.version === ch.version + 1 + i);
    if (next && !ch.pumping && !ch.joining.length) {
      ch.version = messages[messages.length - 1].version;
      this.#deliver(ch.subs, messages, "local", started);
    }
    if (ch.wanted > ch.version) this.#pump(roomId, ch);
  }

  /** After the listener (re)connects, every watched room re-reads its table once. */
  catchUp() {
    for (const [roomId, ch] of this.#channels) {
      ch.wanted = Math.max(ch.wanted, ch.version + 1);
      this.#pump(roomId, ch);
    }
  }

  /** Local subscribers of a room (for presence and typing, which are not logged). */
  subscribers(roomId: string): Iterable<Subscriber> {
    return this.#channels.get(roomId)?.subs ?? [];
  }

  /**
   * Stops a user's local room subscribers (of one room, or all) at once, so no later frame
   * reaches them, and returns them so the caller can close them with a reason.
   */
  detachUser(userId: string, roomId?: string): Subscriber[] {
    const found = this.subscribersOf(userId, roomId);
    for (const [id, sub] of found) this.#unsubscribe(id, sub);
    return found.map(([, sub]) => sub);
  }

  /** A user's local room subscribers (of one room, or all), each with its room id. */
  subscribersOf(userId: string, roomId?: string): [string, Subscriber][] {
    const found: [string, Subscriber][] = [];
    for (const [id, ch] of this.#channels) {
      if (roomId !== undefined && id !== roomId) continue;
      for (const sub of [...ch.subs, ...ch.joining]) {
        if (sub.userId === userId) found.push([id, sub]);
      }
    }
    return found;
  }

  /** Writes `rows` to `subs`, counting deliveries and the time since `since` (0: not timed). */
  #deliver(subs: Set<Subscriber>, rows: MessageView[], path: FanoutPath, since: number) {
    const metrics = this.#metrics;
    if (!metrics) return deliver(subs, rows);
    let count = 0;
    for (const sub of subs) {
      const first = rows.findIndex((m) => m.version > sub.cursor);
      if (first >= 0) count += rows.length - first;
    }
    deliver(subs, rows);
    metrics.delivered(count);
    if (since) metrics.fanout(path, (performance.now() - since) / 1000);
  }

  async #pump(roomId: string, ch: Channel) {
    if (ch.pumping) return;
    ch.pumping = true;
    try {
      while (ch.joining.length || ch.wanted > ch.version) {
        await this.#step(roomId, ch).catch(async (error) => {
          log.error(`Room ${roomId} catch-up failed, retrying`, { error: error?.message ?? error });
          await new Promise((resolve) => setTimeout(resolve, 500));
        });
      }
    } finally {
      ch.pumping = false;
      if (!ch.subs.size && !ch.joining.length) this.#channels.delete(roomId);
    }
  }

  async #step(roomId: string, ch: Channel) {
    const joining = ch.joining.splice(0);
    for (const sub of joining) ch.subs.add(sub);
    const from = Math.min(ch.version, ...joining.map((s) => s.cursor));
    const notified = ch.notified;
    ch.notified = 0;
    const wantedBefore = ch.wanted;
    const rows = await changesSince(this.db, roomId, from, BATCH).catch((error) => {
      // The joiners wait for the next round: their catch-up starts from their own cursor.
      for (const sub of joining) if (ch.subs.delete(sub)) ch.joining.push(sub);
      ch.notified ||= notified;
      throw error;
    });
    const last = rows.length ? rows[rows.length - 1].version : from;
    ch.version = Math.max(ch.version, last);
    // A NOTIFY is sent after its commit, so every change notified before this read is in it.
    // A full batch means more may follow; a wake-up during the read means another round.
    if (rows.length === BATCH) ch.wanted = Math.max(ch.wanted, ch.version + 1);
    else if (ch.wanted === wantedBefore) ch.wanted = Math.min(ch.wanted, ch.version);
    if (rows.length) this.#deliver(ch.subs, rows, "notify", notified);
    // Joiners are up to date once nothing more is wanted (a full batch takes more rounds).
    ch.catching.push(...joining);
    if (ch.wanted > ch.version) return;
    for (const sub of ch.catching.splice(0)) if (ch.subs.has(sub)) sub.caughtUp?.();
  }
}
