import type { RoomSummary } from "../db/rooms.ts";
import { OnlineCount } from "./online_list.tsx";

// After the count; the sidebar hides it (app.css), the room index shows "3 unread".
const UNREAD_LABEL = " unread";

/**
 * A room's unread count (hidden at 0). The sidebar and the room index show it, and
 * the page's live connection replaces it by id as messages land and as the person reads.
 */
export function UnreadBadge(props: { roomId: string; count: number; oob?: boolean }) {
  return (
    <span
      id={`unread-${props.roomId}`}
      class="unread"
      title="Unread messages"
      hidden={props.count > 0 ? undefined : true}
      hx-swap-oob={props.oob ? "true" : undefined}
    >
      {props.count > 0 && (
        <>
          {props.count}
          <span class="label">{UNREAD_LABEL}</span>
        </>
      )}
    </span>
  );
}

/** The sidebar list of rooms with unread counts, and the form to create or go to a room. */
export function RoomList(
  props: { rooms: RoomSummary[]; current?: string; counts?: Map<string, number> },
) {
  return (
    <nav id="rooms" class="room-list" aria-label="Rooms">
      <a class="close-panel" href="#main" aria-label="Close the room list">×</a>
      <h2>Rooms</h2>
      <ul>
        {props.rooms.map((r) => (
          <li class={r.slug === props.current ? "current" : undefined}>
            <a href={`/rooms/${r.slug}`}>
              <span class="name">#{r.name}</span>
              <OnlineCount roomId={r.id} count={props.counts?.get(r.id) ?? 0} />
              {r.slug !== props.current && <UnreadBadge roomId={r.id} count={r.unread} />}
            </a>
          </li>
        ))}
      </ul>
      <NewRoomForm />
    </nav>
  );
}

/** Create a room, or go to it when the name exists. */
export function NewRoomForm(props: { name?: string; error?: string | null }) {
  return (
    <form class="new-room" method="post" action="/rooms">
      <input
        name="name"
        placeholder="New or existing room"
        maxlength={64}
        value={props.name}
        required
      />
      <label class="check" title="Members only; they invite others">
        <input type="checkbox" name="kind" value="private" /> private
      </label>
      <button type="submit">Go</button>
      {props.error && <p class="form-error" role="alert">{props.error}</p>}
    </form>
  );
}
