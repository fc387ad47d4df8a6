// What the hub writes: frames rendered once per distinct cursor and shared by every
// subscriber they go to, with their Server-Sent Event bytes built once too.
import type { MessageView } from "../db/messages.ts";
import { framesFor } from "../views/frame.tsx";
import { sse } from "./event_stream.ts";
import type { Subscriber } from "./hub.ts";

/** One rendered frame, shared by every subscriber it goes to; SSE bytes are built once. */
export class Frame {
  #sse: Uint8Array | null = null;
  constructor(readonly html: string, readonly version: number) {}

  /** The frame as one Server-Sent Event whose id is the room version. */
  get sse(): Uint8Array {
    this.#sse ??= sse({ id: this.version, event: "message", data: this.html });
    return this.#sse;
  }
}

/** Sends each subscriber the frames that bring it from its cursor to the last of `rows`. */
export function deliver(subs: Iterable<Subscriber>, rows: MessageView[]) {
  const frames = new Map<number, Frame[]>();
  const last = rows[rows.length - 1].version;
  for (const sub of subs) {
    if (sub.cursor >= last) continue;
    let list = frames.get(sub.cursor);
    if (list === undefined) {
      const missing = rows.filter((m) => m.version > sub.cursor);
      list = framesFor(missing, sub.cursor).map((f) => new Frame(f.html, f.version));
      frames.set(sub.cursor, list);
    }
    sub.cursor = last;
    for (const frame of list) sub.send(frame);
  }
}
