import type { Kysely } from "kysely";
import { type RoomCounts, roomCountsFor } from "../db/rooms.ts";
import type { Database } from "../db/schema.ts";
import { OnlineCount } from "../views/online_list.tsx";
import { UnreadBadge } from "../views/room_list.tsx";
import type { InboxHub } from "./inbox_hub.tsx";
import type { Presence } from "./presence.tsx";
import { Batched } from "./batched.ts";
import { type UnreadCount, unreadCounts, type UnreadHub } from "./unread_hub.tsx";
import { log } from "../log.ts";

/** The page connection a person's feeds are written to. */
export interface FeedReader {
  readonly userId: string;
  notice(html: string): void;
}

/** What the page shows: always the inbox badge and notices; with `rooms`, a room list. */
export interface FeedChoice {
  /** The page lists rooms (index or sidebar): their online and unread counts go live. */
  rooms: boolean;
  /** The room open on the page, if any: read as messages land, so never counted unread. */
  viewing: string | null;
}

/**
 * One page's subscription to its person's feeds: the inbox hub, the unread counts and the
 * online counts all write here, and it writes to the page's one connection.
 */
class Feed {
  constructor(
    private reader: FeedReader,
    readonly viewing: string | null,
    readonly rooms: Set<string>,
    readonly counts: Map<string, UnreadCount>,
  ) {}

  get userId(): string {
    return this.reader.userId;
  }

  push(html: string) {
    this.reader.notice(html);
  }
}

/**
 * A person's own live data (inbox badge and notices, unread counts, online counts of the rooms
 * they may see), carried by whatever connection their page holds, so a page needs one. Every
 * item is the reader's own: the hubs key it by user, and the room list is the read rule's.
 */
export class PersonFeeds {
  // The room lists asked for together (a room's pages reconnecting) share one query.
  #rooms: Batched<string, RoomCounts[]>;

  constructor(
    db: Kysely<Database>,
    private hubs: { presence: Presence; unread: UnreadHub; inbox: InboxHub },
  ) {
    this.#rooms = new Batched((ids) => roomCountsFor(db, ids), []);
  }

  /**
   * Starts feeding `reader`; returns the call that stops it, which may come before the
   * start has finished (the reader went away while its counts were read).
   */
  open(reader: FeedReader, choice: FeedChoice): () => void {
    let stop: (() => void) | null = null;
    let stopped = false;
    this.#start(reader, choice).then((off) => stopped ? off() : (stop = off)).catch((error) =>
      log.error("Opening a page's feeds failed", { error: error?.message ?? error })
    );
    return () => {
      stopped = true;
      stop?.();
    };
  }

  async #start(reader: FeedReader, choice: FeedChoice): Promise<() => void> {
    const { presence, unread, inbox } = this.hubs;
    const stopInbox = inbox.subscribe(reader.userId, new Feed(reader, null, new Set(), new Map()));
    if (!choice.rooms) return stopInbox;
    const rooms = await this.#rooms.get(reader.userId).catch((error) => {
      stopInbox();
      throw error;
    });
    const counts = unreadCounts(rooms);
    const feed = new Feed(reader, choice.viewing, new Set(rooms.map((r) => r.id)), counts);
    const html = rooms.map((r) =>
      String(<OnlineCount roomId={r.id} count={r.online} oob />) +
      (r.id === choice.viewing
        ? ""
        : String(<UnreadBadge roomId={r.id} count={counts.get(r.id)?.unread ?? 0} oob />))
    ).join("");
    if (html) reader.notice(html);
    const stops = [stopInbox, presence.watch(feed), unread.watch(feed)];
    return () => stops.forEach((stop) => stop());
  }
}
