import type { MessageView } from "../db/messages.ts";
import { AppendMessage, Message } from "./message.tsx";

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
 * Everything a subscriber at `cursor` is missing, as one atomic frame: new messages
 * appended in seq order, changed ones replaced by id, then the new cursor. `rows` come in
 * version order and all have version > cursor.
 */
export function frameFor(rows: MessageView[], cursor: number): string {
  const appends = rows.filter((m) => m.seq > cursor).sort((a, b) => a.seq - b.seq);
  const replaces = rows.filter((m) => m.seq <= cursor);
  const last = rows[rows.length - 1].version;
  return String(
    <>
      {appends.map((m) => <AppendMessage message={m} />)}
      {replaces.map((m) => <Message message={m} oob />)}
      <Cursor version={last} oob />
    </>,
  );
}
