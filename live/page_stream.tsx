import type { Room, User } from "../db/schema.ts";
import { Synced } from "../views/frame.tsx";
import type { LiveLabel } from "./connections.ts";
import type { Engine } from "./engine.ts";
import { EventStream, sse } from "./event_stream.ts";
import type { Frame } from "./frames.ts";
import type { Subscriber } from "./hub.ts";
import type { FeedChoice } from "./person_feeds.tsx";

/** Where a stream is: the person, the room (none on pages without one), and the page's feeds. */
export interface StreamPlace {
  user: User;
  session: string | null;
  room: Room | null;
  cursor: number;
  greet: boolean;
  feeds: FeedChoice | null;
}

/**
 * A page's one Server-Sent Events stream, the SSE twin of LiveSocket: the room's log,
 * presence and typing when the page shows a room, plus the person's own feeds. The stream and
 * the hub's subscriber are one object with no closures (a room can hold thousands of readers).
 */
export class PageStream extends EventStream implements Subscriber {
  cursor: number;
  #leave: (() => void) | null = null;

  constructor(private engine: Engine, private place: StreamPlace) {
    super(engine.hub, place.user.id, place.session);
    this.cursor = place.cursor;
  }

  protected opened() {
    const { room, user, greet, feeds } = this.place;
    const leaves: (() => void)[] = [];
    if (room) {
      // The browser's own reconnect sends the last id it saw as Last-Event-ID; starting with
      // one means even a reconnect before any message resumes (and is not welcomed again).
      this.write(sse({ id: this.cursor }));
      leaves.push(this.engine.hub.subscribe(room.id, this));
      leaves.push(this.engine.presence.enter(room, user, this, greet));
    }
    if (feeds) leaves.push(this.engine.feeds.open(this, feeds));
    this.#leave = () => leaves.forEach((leave) => leave());
  }

  protected closed() {
    this.#leave?.();
  }

  /** For the log and /metrics: the room's slug, or the feeds of a page without a room. */
  override get label(): LiveLabel {
    return { transport: "sse", carries: this.place.room?.slug ?? "feeds" };
  }

  send(frame: Frame) {
    this.write(frame.sse);
  }

  /** The room's log has been brought up to date: the page may say it is live. */
  caughtUp() {
    this.notice(String(<Synced version={this.cursor} oob />));
  }
}
