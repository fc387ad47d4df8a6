import type { MessageView } from "../db/messages.ts";
import { AppendMessages, Message } from "./message.tsx";
import { Prerendered, render } from "./rendered.ts";

/** The element that holds the last room version a page has applied. */
export function Cursor(props: { version: number; oob?: boolean }) {
  return (
    <div
      id="cursor"
      data-version={props.version}
      hx-swap-oob={props.oob ? "true" : undefined}
      hidden
    >
    </div>
  );
}

/**
 * Sent once a live connection has caught up with the room: the page says it is live only
 * then (static/chat.js watches for it), not when the connection merely opened.
 */
export function Synced(props: { version: number; oob?: boolean }) {
  return (
    <div
      id="synced"
      data-version={props.version}
      hx-swap-oob={props.oob ? "true" : undefined}
      hidden
    >
    </div>
  );
}

/**
 * Pushed frames stay under this many characters where they can. A WebSocket keeps a write
 * buffer as large as the largest frame it has sent, for as long as it is open, so a big
 * catch-up in one frame would cost every connection that much memory from then on.
 */
export const FRAME_BUDGET = 8 * 1024;

/** One pushed frame: its HTML, and the room version it brings the page to. */
export interface FrameHtml {
  html: string;
  version: number;
}

/**
 * Everything a subscriber at `cursor` is missing, as frames of at most about `budget`
 * characters (a single larger message gets a frame of its own). `rows` come in version order
 * and all have version > cursor. Each frame is atomic and resumable: a run of `rows`, new
 * messages appended in seq order, changed ones replaced by id, then the new cursor. A frame
 * never ends where a later one would append a message before one it appended (a new message
 * edited since has a later version than newer messages).
 */
export function framesFor(rows: MessageView[], cursor: number, budget = FRAME_BUDGET) {
  const isNew = (m: MessageView) => m.seq > cursor;
  const html = rows.map((m) => render(<Message message={m} oob={!isNew(m)} />));
  const laterFirstSeq: number[] = [];
  for (let i = rows.length - 1, min = Infinity; i >= 0; i--) {
    laterFirstSeq[i] = min = Math.min(min, isNew(rows[i]) ? rows[i].seq : Infinity);
  }
  const frames: FrameHtml[] = [];
  let start = 0, size = 0, lastAppended = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    size += html[i].length;
    if (isNew(rows[i])) lastAppended = Math.max(lastAppended, rows[i].seq);
    const next = i + 1;
    const full = next === rows.length || size + html[next].length > budget;
    if (!full || (next < rows.length && laterFirstSeq[next] < lastAppended)) continue;
    const run = rows.slice(start, next).map((m, k) => ({ m, html: html[start + k] }));
    const appends = run.filter(({ m }) => isNew(m)).sort((a, b) => a.m.seq - b.m.seq);
    const version = rows[i].version;
    const replaces = run.filter(({ m }) => !isNew(m)).map((r) => r.html);
    frames.push({
      html: String(
        <>
          {appends.length > 0 && <AppendMessages html={appends.map((a) => a.html)} />}
          <Prerendered html={replaces} />
          <Cursor version={version} oob />
        </>,
      ),
      version,
    });
    start = next;
    size = 0;
  }
  return frames;
}

/** Everything a subscriber at `cursor` is missing, as one frame (see framesFor). */
export function frameFor(rows: MessageView[], cursor: number): string {
  return framesFor(rows, cursor, Infinity)[0].html;
}
