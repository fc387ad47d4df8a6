import type { OnlineNow } from "../db/presence.ts";

/**
 * Who is online in the room, each name a link to message them: without JavaScript it opens
 * the direct conversation; the page script turns it into `/pm <username> ` in the composer.
 * Pushed with `oob` to replace the list wherever it is, to every reader on each change, so
 * an entry is kept to the bare link (a WebSocket keeps a buffer the size of its largest frame).
 */
export function OnlineList(props: { online: OnlineNow; oob?: boolean }) {
  const { users, total } = props.online;
  return (
    <section
      id="online"
      class="people online"
      aria-label="Online now"
      hx-swap-oob={props.oob ? "true" : undefined}
    >
      <h2>Online now ({total})</h2>
      {users.length > 0 && <p class="hint">Select a name to message them.</p>}
      <ul>
        {users.map((u) => (
          <li>
            <a href={`/dm/${u.username}`} title={`@${u.username}`}>{u.display_name}</a>
          </li>
        ))}
        {total > users.length && <li class="more">and {total - users.length} more</li>}
      </ul>
    </section>
  );
}

/** A quiet line appended to the message list (not a message: no id, not logged). */
export function RoomNotice(props: { text: string; kind?: string }) {
  return (
    <div id="messages" hx-swap-oob="beforeend">
      <p class={`notice${props.kind ? ` ${props.kind}` : ""}`} role="status">{props.text}</p>
    </div>
  );
}

/** The online count of one room in the room index or the sidebar, replaced live by id. */
export function OnlineCount(props: { roomId: string; count: number; oob?: boolean }) {
  return (
    <span
      id={`online-${props.roomId}`}
      class={`online-count${props.count ? "" : " none"}`}
      hx-swap-oob={props.oob ? "true" : undefined}
    >
      {props.count} online
    </span>
  );
}

/** The room index's live connection: online counts arrive as out-of-band replacements. */
export function PresenceStream() {
  return (
    <div hx-ext="sse" sse-connect="/presence/events" hidden>
      <div sse-swap="presence" hx-swap="none"></div>
    </div>
  );
}
