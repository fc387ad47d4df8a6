import type { Room, User } from "../db/schema.ts";
import { isUnavailable, UNAVAILABLE_REASON } from "../db/unavailable.ts";
import { Composer, SentMark } from "../views/composer.tsx";
import { Synced } from "../views/frame.tsx";
import { AppendNotice, DeliveryLine } from "../views/inbox_live.tsx";
import type { Frame } from "./frames.ts";
import type { LiveLabel } from "./connections.ts";
import type { Subscriber } from "./hub.ts";
import type { FeedChoice } from "./person_feeds.tsx";
import type { Engine } from "./engine.ts";
import { endConnections } from "./session_events.tsx";
import { isTypingFrame } from "./typing.tsx";
import { log } from "../log.ts";

/** Frames larger than this close the socket with 1009 (message too big). */
export const MAX_FRAME = 16 * 1024;

/** A socket whose unsent bytes pass this is too slow; it is closed and resumes on reconnect. */
const MAX_BUFFERED = 4 * 1024 * 1024;

/** A message frame: `{"body": "...", "client_id": "..."}`. */
export interface MessageFrame {
  body: string;
  clientId: string | null;
}

/** What storing a frame came to (routes/submit.ts's outcome has this shape). */
export type SendResult =
  | { ok: true; delivered?: { to: string; body: string } }
  | { ok: false; error: string };

/** The HTTP side's part in a socket: storing a message frame. One object serves every socket. */
export interface SocketActions {
  submit(input: { user: User; room: Room } & MessageFrame): Promise<SendResult>;
  /** True when the frame is a private message (`/pm`), which waits for its own send. */
  waits(body: string): boolean;
}

function parseFrame(data: string): MessageFrame | null {
  try {
    const frame = JSON.parse(data);
    if (typeof frame !== "object" || frame === null) return null;
    const body = typeof frame.body === "string" ? frame.body : "";
    const clientId = typeof frame.client_id === "string" && frame.client_id
      ? frame.client_id
      : null;
    return { body, clientId };
  } catch {
    return null;
  }
}

/** Where a socket is: the person, their session, and the room (none on pages without one). */
export interface SocketPlace {
  user: User;
  session: string | null;
  room: Room | null;
  /** The last room version the page has (ignored without a room). */
  cursor: number;
  /** A first visit is welcomed; a reconnecting page (`again`) is not. */
  greet: boolean;
  /** The person's own feeds the page shows, or null for a room-only client. */
  feeds: FeedChoice | null;
}

/**
 * A page's one WebSocket: the room's log, presence and typing when the page shows a room,
 * plus the person's own feeds. The hub's subscriber and the socket's event listener are one
 * object, so an idle connection holds one object and few closures (a room holds thousands).
 */
export class LiveSocket implements Subscriber {
  readonly userId: string;
  readonly session: string | null;
  cursor: number;
  #place: SocketPlace;
  // A socket's frames are stored in the order sent. A room message reaches the room's
  // batcher before the next frame is looked at, without waiting for its commit, so a busy
  // sender's messages share commits; a /pm waits for its own send (it looks people up first).
  #queue = Promise.resolve();
  #leave: (() => void) | null = null;
  // Set the moment the server decides to close (before the close handshake ends): a frame
  // that arrives after that is never stored.
  #ended = false;

  constructor(
    private engine: Engine,
    private actions: SocketActions,
    private socket: WebSocket,
    place: SocketPlace,
  ) {
    this.userId = place.user.id;
    this.session = place.session;
    this.cursor = place.cursor;
    this.#place = place;
    engine.hub.track(this);
    for (const type of ["open", "close", "error", "message"]) socket.addEventListener(type, this);
  }

  handleEvent(event: Event) {
    if (event.type === "message") return this.#received((event as MessageEvent).data);
    if (event.type === "open") return this.#opened();
    if (event.type === "close") {
      const { code, reason } = event as CloseEvent;
      this.engine.hub.untrack(this, { code, reason });
      this.#leave?.();
    }
  }

  /** For the log and /metrics: the room's slug, or the feeds of a page without a room. */
  get label(): LiveLabel {
    return { transport: "ws", carries: this.#place.room?.slug ?? "feeds" };
  }

  send(frame: Frame) {
    this.notice(frame.html);
  }

  notice(html: string) {
    const socket = this.socket;
    if (this.#ended || socket.readyState !== WebSocket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED) return socket.close(1013, "Too far behind");
    socket.send(html);
  }

  /** The room's log has been brought up to date: the page may say it is live. */
  caughtUp() {
    this.notice(String(<Synced version={this.cursor} oob />));
  }

  close(code: number, reason: string) {
    this.#ended = true;
    if (this.socket.readyState <= WebSocket.OPEN) this.socket.close(code, reason);
  }

  #opened() {
    if (this.engine.hub.closing) return this.socket.close(1012, "Server restarting");
    const { room, user, greet, feeds } = this.#place;
    const leaves: (() => void)[] = [];
    if (room) {
      leaves.push(this.engine.hub.subscribe(room.id, this));
      leaves.push(this.engine.presence.enter(room, user, this, greet));
    }
    if (feeds) leaves.push(this.engine.feeds.open(this, feeds));
    this.#leave = () => leaves.forEach((leave) => leave());
  }

  #received(data: unknown) {
    if (this.#ended) return;
    if (typeof data !== "string" || data.length > MAX_FRAME) {
      return this.socket.close(1009, "Frame too large");
    }
    const { user, room } = this.#place;
    if (!room) return;
    if (isTypingFrame(data)) return this.engine.presence.typed(room, user);
    const frame = parseFrame(data);
    if (!frame) return this.socket.close(1003, "Frames must be JSON objects");
    this.#queue = this.#queue.then(async () => {
      if (!(await this.#sessionHolds())) return;
      const sent = this.actions.submit({ user, room, ...frame })
        .then((outcome) => this.#reply(room, frame, outcome))
        .catch((error) => log.error("Sending a frame failed", { error }));
      if (this.actions.waits(frame.body)) return sent;
    }).catch((error) => {
      // The session could not be checked (the database is away): refused, with the text back.
      if (!isUnavailable(error)) log.error("Checking a frame's session failed", { error });
      this.#reply(room, frame, { ok: false, error: UNAVAILABLE_REASON });
    });
  }

  /** False (and the socket closed with the reason) once the session has ended anywhere. */
  async #sessionHolds(): Promise<boolean> {
    if (this.#ended) return false;
    if (!this.session || await this.engine.sessions.alive(this.session)) return !this.#ended;
    endConnections([this], "signout");
    return false;
  }

  /**
   * Tells the page what became of its frame: the pending copy goes (the message itself
   * arrives through the hub), and a refusal gives the text back with the reason.
   */
  #reply(room: Room, frame: MessageFrame, sent: SendResult) {
    let html = frame.clientId ? String(<SentMark clientId={frame.clientId} />) : "";
    if (sent.ok && sent.delivered) {
      html += String(
        <AppendNotice>
          <DeliveryLine {...sent.delivered} />
        </AppendNotice>,
      );
    }
    if (!sent.ok) {
      html += String(<Composer room={room} body={frame.body} error={sent.error} oob />);
    }
    if (html) this.notice(html);
  }
}
