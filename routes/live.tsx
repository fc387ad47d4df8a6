import { Hono } from "hono";
import type { Room, User } from "../db/schema.ts";
import { Composer } from "../views/composer.tsx";
import { AppendNotice, DeliveryLine } from "../views/inbox_live.tsx";
import { enterRoom, refusal, refused, sharedRoom, wholeNumber } from "./access.ts";
import type { AuthedEnv, Deps } from "./env.ts";
import { requireUser } from "./guards.ts";
import type { Frame } from "./frames.ts";
import type { Subscriber } from "./hub.ts";
import { parsePm } from "./pm.ts";
import { submitMessage, type Submitted } from "./submit.ts";
import { endConnections } from "./session_events.tsx";
import { isTypingFrame } from "./typing.tsx";

/** Frames larger than this close the socket with 1009 (message too big). */
export const MAX_FRAME = 16 * 1024;

/** A socket whose unsent bytes pass this is too slow; it is closed and resumes on reconnect. */
const MAX_BUFFERED = 4 * 1024 * 1024;

function parseFrame(data: string): { body: string; clientId: string | null } | null {
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

/** `GET /rooms/:slug/live`: the room over the htmx ws extension. */
export function liveRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireUser());

  app.get("/:slug/live", async (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      return c.text("This endpoint speaks WebSocket only", 426);
    }
    const user = c.get("user");
    const room = await enterRoom(deps.db, c.req.param("slug"), user);
    if (refused(room)) return refusal(c, room);
    // A connection accepted during shutdown would keep the server from ever finishing it.
    if (deps.hub.closing) return c.text("Server restarting", 503);
    const { socket, response } = Deno.upgradeWebSocket(c.req.raw, { idleTimeout: 25 });
    const cursor = wholeNumber(c.req.query("after")) ?? room.version;
    const greet = c.req.query("again") === undefined;
    const session = c.get("session");
    new LiveSocket(deps, socket, { user, session, room: sharedRoom(room), cursor, greet });
    return response;
  });

  return app;
}

/**
 * One room WebSocket: the hub's subscriber and the socket's event listener in one object, so
 * an idle connection holds one object and no closures (a room can hold thousands of them).
 */
class LiveSocket implements Subscriber {
  readonly userId: string;
  readonly session: string | null;
  cursor: number;
  #user: User;
  #room: Room;
  // A socket's frames are stored in the order sent. A room message reaches the room's
  // batcher before the next frame is looked at, without waiting for its commit, so a busy
  // sender's messages share commits; a /pm waits for its own send (it looks people up first).
  #queue = Promise.resolve();
  #leave: (() => void) | null = null;
  #away: (() => void) | null = null;
  #greet: boolean;
  // Set the moment the server decides to close (before the close handshake ends): a frame
  // that arrives after that is never stored.
  #ended = false;

  constructor(
    private deps: Deps,
    private socket: WebSocket,
    at: { user: User; session: string | null; room: Room; cursor: number; greet: boolean },
  ) {
    this.userId = at.user.id;
    this.session = at.session;
    this.cursor = at.cursor;
    this.#user = at.user;
    this.#room = at.room;
    this.#greet = at.greet;
    deps.hub.track(this);
    for (const type of ["open", "close", "error", "message"]) socket.addEventListener(type, this);
  }

  handleEvent(event: Event) {
    if (event.type === "message") return this.#received((event as MessageEvent).data);
    if (event.type === "open") return this.#opened();
    if (event.type === "close") this.deps.hub.untrack(this), this.#leave?.(), this.#away?.();
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

  close(code: number, reason: string) {
    this.#ended = true;
    if (this.socket.readyState <= WebSocket.OPEN) this.socket.close(code, reason);
  }

  #opened() {
    if (this.deps.hub.closing) return this.socket.close(1012, "Server restarting");
    this.#leave = this.deps.hub.subscribe(this.#room.id, this);
    this.#away = this.deps.presence.enter(this.#room, this.#user, this, this.#greet);
  }

  #received(data: unknown) {
    if (this.#ended) return;
    if (typeof data !== "string" || data.length > MAX_FRAME) {
      return this.socket.close(1009, "Frame too large");
    }
    const [user, room] = [this.#user, this.#room];
    if (isTypingFrame(data)) return this.deps.presence.typed(room, user);
    const frame = parseFrame(data);
    if (!frame) return this.socket.close(1003, "Frames must be JSON objects");
    this.#queue = this.#queue.then(async () => {
      if (!(await this.#sessionHolds())) return;
      const sent = submitMessage(this.deps, { user, room, ...frame })
        .then((outcome) => this.#reply(frame.body, outcome))
        .catch((error) => console.error("Sending a frame failed:", error));
      if (parsePm(frame.body)) return sent;
    }).catch((error) => console.error("Checking a frame's session failed:", error));
  }

  /** False (and the socket closed with the reason) once the session has ended anywhere. */
  async #sessionHolds(): Promise<boolean> {
    if (this.#ended) return false;
    if (!this.session || await this.deps.sessions.alive(this.session)) return !this.#ended;
    endConnections([this], "signout");
    return false;
  }

  #reply(body: string, sent: Submitted) {
    if (sent.ok && sent.delivered) {
      this.notice(String(
        <AppendNotice>
          <DeliveryLine {...sent.delivered} />
        </AppendNotice>,
      ));
    }
    if (sent.ok) return;
    const room = this.#room;
    this.notice(String(<Composer room={room} transport="ws" body={body} error={sent.error} oob />));
  }
}
