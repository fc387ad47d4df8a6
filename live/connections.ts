// The live connections of this instance (room WebSockets and SSE streams, inbox and presence
// streams), so shutdown and access changes can close them. The hub is one (live/hub.ts).

/** Something shutdown (and closeUser, when it has an owner) must be able to close. */
export interface Tracked {
  /** Whose connection it is; closeUser closes only connections that say. */
  readonly userId?: string;
  /** The session it was opened with (its token hash); ending that session closes it. */
  readonly session?: string | null;
  /** Tells the page something before a close (room connections show it as its status). */
  notice?(html: string): void;
  close(code: number, reason: string): void;
}

/** Every open live connection of this instance, and whether shutdown has begun. */
export class LiveConnections {
  #connections = new Set<Tracked>();
  #closing = false;

  /** True once shutdown began: live routes refuse new connections so it can finish. */
  get closing(): boolean {
    return this.#closing;
  }

  /** Registers a live connection from the moment it is accepted, so shutdown can close it. */
  track(connection: Tracked) {
    this.#connections.add(connection);
  }

  /** Forgets a connection that has closed. */
  untrack(connection: Tracked) {
    this.#connections.delete(connection);
  }

  /** Closes every tracked connection of a user (rooms, and any per-user stream that tracks). */
  closeUser(userId: string, code: number, reason: string) {
    for (const connection of [...this.#connections]) {
      if (connection.userId === userId) connection.close(code, reason);
    }
  }

  /** A user's tracked connections whose session `ended` says has ended. */
  ofSessions(userId: string, ended: (session: string | null) => boolean): Tracked[] {
    return [...this.#connections].filter((connection) =>
      connection.userId === userId && ended(connection.session ?? null)
    );
  }

  /** Closes every live connection of this instance (1012 tells htmx to reconnect). */
  async closeAll(code: number, reason: string, waitMs = 2000) {
    this.#closing = true;
    for (const connection of [...this.#connections]) connection.close(code, reason);
    // Give close handshakes a moment; a server shutdown would otherwise send 1001.
    const deadline = Date.now() + waitMs;
    while (this.#connections.size && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
