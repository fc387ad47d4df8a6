import type { RoomSummary } from "../db/rooms.ts";
import { OnlineCount, PresenceStream } from "./online_list.tsx";

/** The sidebar list of rooms with unread counts, and the form to create or go to a room. */
export function RoomList(
  props: { rooms: RoomSummary[]; current?: string; counts?: Map<string, number> },
) {
  return (
    <nav class="room-list" aria-label="Rooms">
      <PresenceStream />
      <h2>Rooms</h2>
      <ul>
        {props.rooms.map((r) => (
          <li class={r.slug === props.current ? "current" : undefined}>
            <a href={`/rooms/${r.slug}`}>
              <span class="name">#{r.name}</span>
              <OnlineCount roomId={r.id} count={props.counts?.get(r.id) ?? 0} />
              {r.unread > 0 && <span class="unread" title="Unread messages">{r.unread}</span>}
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
