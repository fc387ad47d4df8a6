import type { Kysely } from "kysely";
import type { ChatEvent } from "../db/events.ts";
import { unreadCounts } from "../db/inbox.ts";
import { noticeFor } from "../db/notices.ts";
import type { Database } from "../db/schema.ts";
import { AppendNotice, InboxBadge, InboxNotice } from "../views/inbox_live.tsx";
import { Batched } from "./batched.ts";
import { log } from "../log.ts";

/** A local inbox stream: it receives HTML fragments for its own user only. */
export interface InboxSubscriber {
  push(html: string): void;
}

/**
 * The per-instance inbox fan-out: userId -> local streams. A user event from any instance
 * is rendered once here (badge, and a notice when a message caused it) and written only to
 * that user's streams. Events for one user are handled in order, so an older count never
 * overwrites a newer one.
 */
export class InboxHub {
  #subs = new Map<string, Set<InboxSubscriber>>();
  #queues = new Map<string, Promise<void>>();
  // Badges asked for together (a room's pages reconnecting) share one query.
  #badges: Batched<string, number>;
  constructor(private db: Kysely<Database>) {
    this.#badges = new Batched((ids) => unreadCounts(db, ids), 0);
  }

  /** Adds a stream for a user; it first gets the current badge. Returns its removal. */
  subscribe(userId: string, sub: InboxSubscriber): () => void {
    const set = this.#subs.get(userId) ?? new Set();
    set.add(sub);
    this.#subs.set(userId, set);
    this.#enqueue(userId, () => this.#badge(userId).then((html) => sub.push(html)));
    return () => {
      set.delete(sub);
      if (!set.size && this.#subs.get(userId) === set) this.#subs.delete(userId);
    };
  }

  /** Handles a user event: pushes the new badge (and notice) to that user's local streams. */
  onEvent(event: Extract<ChatEvent, { k: "user" }>) {
    if (!this.#subs.has(event.u)) return;
    this.#enqueue(event.u, async () => {
      let html = await this.#badge(event.u);
      const notice = event.m ? await noticeFor(this.db, event.m, event.u) : null;
      if (notice) {
        html += String(
          <AppendNotice>
            <InboxNotice notice={notice} />
          </AppendNotice>,
        );
      }
      this.#deliver(event.u, html);
    });
  }

  /** After the listener reconnects (events may have been lost), re-sends every badge. */
  catchUp() {
    for (const userId of this.#subs.keys()) {
      this.#enqueue(userId, async () => this.#deliver(userId, await this.#badge(userId)));
    }
  }

  async #badge(userId: string): Promise<string> {
    return String(<InboxBadge unread={await this.#badges.get(userId)} oob />);
  }

  #deliver(userId: string, html: string) {
    for (const sub of this.#subs.get(userId) ?? []) sub.push(html);
  }

  #enqueue(userId: string, task: () => Promise<void>) {
    const prev = this.#queues.get(userId) ?? Promise.resolve();
    const next = prev.then(task).catch((error) =>
      log.error(`Inbox update for ${userId} failed`, { error: error?.message ?? error })
    );
    this.#queues.set(userId, next);
    next.then(() => {
      if (this.#queues.get(userId) === next) this.#queues.delete(userId);
    });
  }
}
