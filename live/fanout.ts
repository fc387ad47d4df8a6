import type { ChatEvent } from "../db/events.ts";
import { log } from "../log.ts";

type Kind = ChatEvent["k"];
type EventOf<K extends Kind> = Extract<ChatEvent, { k: K }>;
type Handler = (event: ChatEvent) => void;

/**
 * Routes bus events to the features that handle them. Each feature registers the kinds it
 * cares about (rooms, presence, inbox, access) where it is wired, so the bus stays one
 * LISTEN connection and knows nothing of features.
 */
export class Fanout {
  #handlers = new Map<Kind, Handler[]>();
  #listeners: Array<() => void> = [];

  /** Calls `handler` for every event of `kind`, from any instance. */
  on<K extends Kind>(kind: K, handler: (event: EventOf<K>) => void) {
    const list = this.#handlers.get(kind) ?? [];
    list.push(handler as Handler);
    this.#handlers.set(kind, list);
  }

  /** Calls `handler` after every (re)connect of the listener, to catch up from the tables. */
  onListen(handler: () => void) {
    this.#listeners.push(handler);
  }

  /** Delivers one event; a failing handler is logged and cannot stop the others. */
  dispatch(event: ChatEvent) {
    for (const handler of this.#handlers.get(event.k) ?? []) {
      guarded(() => handler(event), `A ${event.k} event handler failed:`);
    }
  }

  /** Runs every catch-up after the listener is up again. */
  listened() {
    for (const handler of this.#listeners) guarded(handler, "A catch-up handler failed:");
  }
}

function guarded(run: () => void, what: string) {
  try {
    run();
  } catch (error) {
    log.error(what, { error });
  }
}
