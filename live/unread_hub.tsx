import type { Kysely } from "kysely";
import type { ChatEvent } from "../db/events.ts";
import { listRooms, type RoomSummary } from "../db/rooms.ts";
import type { Database } from "../db/schema.ts";
import { UnreadBadge } from "../views/room_list.tsx";
import { log } from "../log.ts";

/** A room's unread count, and the room version it reflects (a later message is not in it). */
export interface UnreadCount {
  unread: number;
  version: number;
}

/** The counts of the rooms among `rooms` the person belongs to (nothing is unread elsewhere). */
export function unreadCounts(
  rooms: Pick<RoomSummary, "id" | "member" | "unread" | "version">[],
): Map<string, UnreadCount> {
  return new Map(
    rooms.filter((r) => r.member).map((r) => [r.id, { unread: r.unread, version: r.version }]),
  );
}

/** A sidebar or room index stream's unread counts, for one person. */
export interface UnreadWatcher {
  userId: string;
  /** The room open on the page, if any: read as messages land, so never counted. */
  viewing: string | null;
  /** The rooms this person belongs to, each with its count and the version it reflects. */
  counts: Map<string, UnreadCount>;
  push(html: string): void;
}

/**
 * Live unread counts on this instance. A new message from someone else adds one to each
 * local watcher of its room, with no query; a change to the person's own inbox (they read a
 * room, on any tab or instance) recounts that person's rooms in one query. A person's
 * updates apply in order, and a count carries the room version it reflects, so a message
 * already in a recount is never added again.
 */
export class UnreadHub {
  #byRoom = new Map<string, Set<UnreadWatcher>>();
  #byUser = new Map<string, Set<UnreadWatcher>>();
  #queues = new Map<string, Promise<void>>();

  constructor(private db: Kysely<Database>) {}

  /** Adds a watcher; returns its removal. */
  watch(watcher: UnreadWatcher): () => void {
    const keys: [Map<string, Set<UnreadWatcher>>, string][] = [[this.#byUser, watcher.userId]];
    for (const roomId of watcher.counts.keys()) keys.push([this.#byRoom, roomId]);
    for (const [map, key] of keys) map.set(key, (map.get(key) ?? new Set()).add(watcher));
    return () => {
      for (const [map, key] of keys) {
        const set = map.get(key);
        set?.delete(watcher);
        if (set && !set.size) map.delete(key);
      }
    };
  }

  /** A room event: a new message from someone else counts for that room's other members. */
  onRoom(event: Extract<ChatEvent, { k: "room" }>) {
    const author = event.a;
    if (!author) return;
    for (const watcher of this.#byRoom.get(event.r) ?? []) {
      if (watcher.userId === author || watcher.viewing === event.r) continue;
      this.#inOrder(watcher.userId, () => {
        const count = watcher.counts.get(event.r);
        if (!count || event.v <= count.version) return;
        count.unread++;
        count.version = event.v;
        watcher.push(badge(event.r, count.unread));
      });
    }
  }

  /** A person's inbox changed (a room read, a mention): recount their rooms. */
  onUser(event: Extract<ChatEvent, { k: "user" }>) {
    if (this.#byUser.has(event.u)) this.#inOrder(event.u, () => this.#recount(event.u));
  }

  /** After the listener reconnects (events may have been lost), recounts everyone's rooms. */
  catchUp() {
    for (const userId of this.#byUser.keys()) this.#inOrder(userId, () => this.#recount(userId));
  }

  async #recount(userId: string) {
    const now = unreadCounts(await listRooms(this.db, userId));
    const watchers = [...this.#byUser.get(userId) ?? []];
    for (const watcher of watchers) {
      let html = "";
      for (const [roomId, count] of watcher.counts) {
        const fresh = now.get(roomId) ?? { unread: 0, version: count.version };
        if (fresh.version < count.version) continue;
        const changed = fresh.unread !== count.unread;
        Object.assign(count, fresh);
        if (changed && roomId !== watcher.viewing) html += badge(roomId, count.unread);
      }
      if (html) watcher.push(html);
    }
  }

  /** Runs a person's updates one after another (a recount's query holds later increments). */
  #inOrder(userId: string, task: () => void | Promise<void>) {
    const before = this.#queues.get(userId);
    if (!before) {
      const result = task();
      if (!(result instanceof Promise)) return;
      return this.#track(userId, result);
    }
    this.#track(userId, before.then(task));
  }

  #track(userId: string, work: Promise<void>) {
    const next = work.catch((error) =>
      log.error(`Unread counts for ${userId} failed`, { error: error?.message ?? error })
    );
    this.#queues.set(userId, next);
    next.then(() => {
      if (this.#queues.get(userId) === next) this.#queues.delete(userId);
    });
  }
}

function badge(roomId: string, count: number): string {
  return String(<UnreadBadge roomId={roomId} count={count} oob />);
}
