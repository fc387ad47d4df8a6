import { RoomNotice } from "../views/online_list.tsx";
import type { Subscriber } from "./hub.ts";

/** What one batch collected: per room, who joined (true) or left (false), and new readers. */
export interface Batch {
  changes: Map<string, Map<string, boolean>>;
  arrivals: Map<string, Set<Subscriber>>;
}

/**
 * Collects presence changes for a short window. When a whole room arrives at once (a
 * restart, a meeting) every arrival would otherwise push the full list to everyone: N²
 * pushes. Within one window a room gets one list and one line per kind ("Ana, Bo and 12
 * others joined"); someone who left and came back within it (a reconnect) cancels out.
 */
export class PresenceBatch {
  #batch: Batch = { changes: new Map(), arrivals: new Map() };
  #timer: ReturnType<typeof setTimeout> | undefined;
  constructor(private ms: number, private flush: (batch: Batch) => void) {}

  /** A person's presence in a room changed (a real join or leave, from any instance). */
  changed(roomId: string, userId: string, on: boolean) {
    const room = this.#batch.changes.get(roomId) ?? new Map<string, boolean>();
    this.#batch.changes.set(roomId, room);
    if (room.get(userId) === !on) room.delete(userId);
    else room.set(userId, on);
    this.#schedule();
  }

  /** A new local reader of a room waits for its first list. */
  arrived(roomId: string, sub: Subscriber) {
    const room = this.#batch.arrivals.get(roomId) ?? new Set();
    this.#batch.arrivals.set(roomId, room.add(sub));
    this.#schedule();
  }

  /** Drops what is waiting (shutdown). */
  cancel() {
    clearTimeout(this.#timer);
  }

  #schedule() {
    this.#timer ??= setTimeout(() => {
      const batch = this.#batch;
      this.#batch = { changes: new Map(), arrivals: new Map() };
      this.#timer = undefined;
      this.flush(batch);
    }, this.ms);
  }
}

/** "Ana", "Ana and Bo", "Ana, Bo and Cy", "Ana, Bo and 12 others". */
export function listNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  if (names.length <= 3) return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return `${names.slice(0, 2).join(", ")} and ${names.length - 2} others`;
}

/**
 * The quiet "… joined" and "… left" lines of one batch, for any reader: each reader's lines
 * leave out the reader. The names are sorted once per batch, and a reader's own line depends
 * only on the first few names, so a room arriving at once (every reader in the batch) costs a
 * handful of renders, not a sort per reader.
 */
export function presenceLines(changes: Map<string, boolean>, names: Map<string, string>) {
  const sorted = (on: boolean) =>
    [...changes].filter(([, joined]) => joined === on)
      .map(([id]) => ({ id, name: names.get(id) ?? "Someone" }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const kinds = [{ on: true, who: sorted(true) }, { on: false, who: sorted(false) }];
  const rendered = new Map<string, string>();
  const line = (text: string) => {
    let html = rendered.get(text);
    if (html === undefined) {
      html = String(<RoomNotice text={text} kind="presence" />);
      rendered.set(text, html);
    }
    return html;
  };
  return (except?: string): string =>
    kinds.map(({ on, who }) => {
      const left = except !== undefined && changes.get(except) === on;
      const total = who.length - (left ? 1 : 0);
      if (!total) return "";
      // listNames shows at most three names: the first four hold them, whoever is left out.
      const first = who.slice(0, 4).filter((p) => p.id !== except).map((p) => p.name);
      const shown = total <= 3
        ? first.slice(0, total)
        : [...first.slice(0, 2), ...Array(total - 2)];
      return line(`${listNames(shown)} ${on ? "joined" : "left"}`);
    }).join("");
}

/** Who gets which frames. */
export type Plan = [Subscriber, string[]][];

/**
 * Who gets what from one room's batch. One render for everyone: readers already here get
 * `update` with the batch's lines when anything changed; people in the batch get the whole
 * list without their own line.
 */
export function planRoom(subs: Iterable<Subscriber>, batch: {
  list: string[];
  update: string[];
  changed: Map<string, boolean>;
  arrived: Set<Subscriber>;
  names: Map<string, string>;
}): Plan {
  const { list, update, changed, arrived, names } = batch;
  const lines = presenceLines(changed, names);
  const others = withLines(update, lines());
  const plan: Plan = [];
  for (const sub of subs) {
    if (arrived.has(sub) || changed.has(sub.userId)) {
      plan.push([sub, withLines(list, lines(sub.userId))]);
    } else if (changed.size) plan.push([sub, others]);
  }
  return plan;
}

/**
 * Sends the i-th frame of every reader on the i-th turn of the event loop. A stream's write
 * buffer grows to hold what is queued for it at once and keeps that size while it lives, so a
 * list queued whole would cost every SSE reader a buffer of the whole list.
 */
export async function sendInTurns(plan: Plan) {
  const turns = Math.max(0, ...plan.map(([, frames]) => frames.length));
  for (let turn = 0; turn < turns; turn++) {
    if (turn) await new Promise((resolve) => setTimeout(resolve, 0));
    for (const [sub, frames] of plan) if (turn < frames.length) sub.notice(frames[turn]);
  }
}

/** The frames with the join and leave lines added to the last one. */
function withLines(frames: string[], lines: string): string[] {
  return lines ? [...frames.slice(0, -1), frames.at(-1) + lines] : frames;
}
