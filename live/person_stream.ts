// The standalone SSE streams of one person (/inbox/events, /presence/events) for clients other
// than the page, which gets the same feeds over its one connection (live/person_feeds.tsx).
import { EventStream } from "./event_stream.ts";
import type { Hub } from "./hub.ts";

/** A stream for the less crowded cases (inbox, room index): `open` returns its cleanup. */
class CallbackStream extends EventStream {
  #cleanup = () => {};
  constructor(
    hub: Hub,
    owner: StreamOwner,
    private onOpen: (stream: EventStream) => () => void,
  ) {
    super(hub, owner.userId, owner.session);
  }
  protected opened() {
    this.#cleanup = this.onOpen(this);
  }
  protected closed() {
    this.#cleanup();
  }
}

/** Whose stream it is: the person, and the session it was opened with (its end closes it). */
export interface StreamOwner {
  userId: string;
  session: string | null;
}

/** An SSE response for one person, fed by `open`; `open` returns its cleanup. */
export function eventStream(
  hub: Hub,
  owner: StreamOwner,
  open: (stream: EventStream) => () => void,
): Response {
  return new CallbackStream(hub, owner, open).response();
}
