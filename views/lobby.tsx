import type { RoomSummary } from "../db/rooms.ts";
import type { User } from "../db/schema.ts";
import { Layout } from "./layout.tsx";
import { OnlineCount } from "./online_list.tsx";
import { NewRoomForm, UnreadBadge } from "./room_list.tsx";

/** The signed-in lobby: the room index. */
export function RoomIndex(
  props: {
    user: User;
    rooms: RoomSummary[];
    name?: string;
    error?: string | null;
    counts?: Map<string, number>;
  },
) {
  return (
    <Layout title="Rooms" user={props.user} feeds="rooms">
      <main id="main" class="index">
        <h1>Rooms</h1>
        <NewRoomForm name={props.name} error={props.error} />
        {props.rooms.length === 0
          ? <p class="empty">No rooms yet. Name one above to start it.</p>
          : (
            <ul class="rooms">
              {props.rooms.map((r) => (
                <li>
                  <a href={`/rooms/${r.slug}`}>#{r.name}</a>
                  {r.kind === "private" && <span class="tag">private</span>}
                  <span class="count">{r.members} {r.members === 1 ? "member" : "members"}</span>
                  <OnlineCount roomId={r.id} count={props.counts?.get(r.id) ?? 0} />
                  <UnreadBadge roomId={r.id} count={r.unread} />
                </li>
              ))}
            </ul>
          )}
      </main>
    </Layout>
  );
}

/** A room that does not exist: offers to create it (the GET itself never writes). */
export function MissingRoom(props: { user: User; slug: string }) {
  return (
    <Layout title="No such room" user={props.user}>
      <main id="main" class="index">
        <h1>#{props.slug} does not exist yet</h1>
        <form method="post" action="/rooms">
          <input type="hidden" name="name" value={props.slug} />
          <button type="submit">Create #{props.slug}</button>
        </form>
        <p>
          <a href="/">Back to the rooms</a>
        </p>
      </main>
    </Layout>
  );
}
