import type { Member } from "../db/room_members.ts";
import type { Room, User } from "../db/schema.ts";
import { FormError, Layout } from "./layout.tsx";

function InviteForm(props: { room: Room; username?: string; error?: string | null }) {
  return (
    <form class="card admin-form" method="post" action={`/rooms/${props.room.slug}/members`}>
      <h2>Invite someone</h2>
      <label>
        Username
        <input name="username" value={props.username} maxlength={32} required />
      </label>
      <FormError message={props.error} />
      <button type="submit">Invite</button>
    </form>
  );
}

/** `/rooms/:slug/members`: who is in the room; members of a private room invite others here. */
export function MembersPage(
  props: {
    user: User;
    room: Room;
    members: Member[];
    invite?: { username?: string; error?: string | null };
  },
) {
  const { room } = props;
  return (
    <Layout title={`Members of #${room.slug}`} user={props.user}>
      <main id="main" class="index">
        <h1>Members of #{room.name}</h1>
        <p>
          <a href={`/rooms/${room.slug}`}>Back to #{room.name}</a>
        </p>
        <ul class="rooms">
          {props.members.map((m) => (
            <li>
              {m.display_name} <small>@{m.username}</small>
              {m.role !== "member" && <span class="tag">{m.role}</span>}
            </li>
          ))}
        </ul>
        {room.kind === "private" && <InviteForm room={room} {...props.invite} />}
      </main>
    </Layout>
  );
}
