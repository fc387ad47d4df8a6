// The live connections of this instance (room WebSockets and SSE streams, inbox and presence
// streams), so shutdown and access changes can close them. The hub is one (live/hub.ts).
// Each connection's opening and closing is logged here, and /metrics counts the open ones here.
import { log } from "../log.ts";

/** What a live connection is, for the log and /metrics: its transport and what it carries. */
export interface LiveLabel {
  transport: "ws" | "sse";
  /** The room's slug, or "feeds" for a page without a room. */
  carries: string;
}

/** How a connection ended: the close code and reason, when one was given. */
export interface Ending {
  code: number;
  reason: string;
}

/** Something shutdown (and closeUser, when it has an owner) must be able to close. */
export interface Tracked {
  /** Whose connection it is; closeUser closes only connections that say. */
  readonly userId?: string;
  /** The session it was opened with (its token hash); ending that session closes it. */
  readonly session?: string | null;
  /** Tells the page something before a close (room connections show it as its status). */
  notice?(html: string): void;
  close(code: number, reason: string): void;
  /** What it is; unlabelled entries (a close waiting to happen) are neither logged nor counted. */
  readonly label?: LiveLabel;
}

/** Every open live connection of this instance, and whether shutdown has begun. */
export class LiveConnections {
  /** Each connection with when it opened (performance.now()). */
  #connections = new Map<Tracked, number>();
  #closing = false;

  /** True once shutdown began: live routes refuse new connections so it can finish. */
  get closing(): boolean {
    return this.#closing;
  }

  /** Registers a live connection from the moment it is accepted, so shutdown can close it. */
  track(connection: Tracked) {
    this.#connections.set(connection, performance.now());
    const label = connection.label;
    if (label) log.info("live open", { ...label, user: connection.userId });
  }

  /** Forgets a connection that has closed (`ending`: its close code and reason, if known). */
  untrack(connection: Tracked, ending?: Ending) {
    const opened = this.#connections.get(connection);
    if (opened === undefined || !this.#connections.delete(connection)) return;
    const label = connection.label;
    if (!label) return;
    const ms = Math.round(performance.now() - opened);
    log.info("live close", { ...label, user: connection.userId, ms, ...ending });
  }

  /** Open connections by transport (for /metrics). */
  openByTransport(): Record<LiveLabel["transport"], number> {
    const counts = { ws: 0, sse: 0 };
    for (const connection of this.#connections.keys()) {
      const label = connection.label;
      if (label) counts[label.transport]++;
    }
    return counts;
  }

  /** Closes every tracked connection of a user (rooms, and any per-user stream that tracks). */
  closeUser(userId: string, code: number, reason: string) {
    for (const connection of [...this.#connections.keys()]) {
      if (connection.userId === userId) connection.close(code, reason);
    }
  }

  /** A user's tracked connections whose session `ended` says has ended. */
  ofSessions(userId: string, ended: (session: string | null) => boolean): Tracked[] {
    return [...this.#connections.keys()].filter((connection) =>
      connection.userId === userId && ended(connection.session ?? null)
    );
  }

  /** Closes every live connection of this instance (1012 tells htmx to reconnect). */
  async closeAll(code: number, reason: string, waitMs = 2000) {
    this.#closing = true;
    for (const connection of [...this.#connections.keys()]) connection.close(code, reason);
    // Give close handshakes a moment; a server shutdown would otherwise send 1001.
    const deadline = Date.now() + waitMs;
    while (this.#connections.size && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
