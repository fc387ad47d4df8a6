import { roomAccess } from "../db/admin_rooms.ts";
import { publicRefusal } from "../db/archive.ts";
import type { Member } from "../db/room_members.ts";
import type { Room, User } from "../db/schema.ts";
import { ActionButton, AdminPage } from "./admin_layout.tsx";
import { PublicArchive } from "./admin_room_archive.tsx";

/** `/admin/rooms`: every room (but direct conversations) with its access and state. */
export function AdminRooms(props: { user: User; rooms: Room[]; error?: string | null }) {
  return (
    <AdminPage user={props.user} section="rooms" title="Rooms" error={props.error}>
      <table class="admin-table">
        <thead>
          <tr>
            <th>Room</th>
            <th>Kind</th>
            <th>Read by</th>
            <th>Guests</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {props.rooms.map((room) => (
            <tr id={`r-${room.id}`}>
              <td>
                <a href={`/admin/rooms/${room.id}`}>#{room.name}</a> <small>/{room.slug}</small>
              </td>
              <td>{roomAccess(room)}</td>
              <td>{room.read_access === "admins" ? "admins" : "everyone let in"}</td>
              <td>{room.guests_allowed ? "allowed" : "refused"}</td>
              <td>
                {room.archived_at ? "archived" : "active"}
                {room.public_archive && !publicRefusal(room) && " · public history"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminPage>
  );
}

function RoomForm(props: { room: Room }) {
  const { room } = props;
  const access = roomAccess(room);
  const kinds = [
    ["open", "Open: anyone signed in may join"],
    ["private", "Private: members only, who invite others"],
    ["admin-only", "Admin-only: only admins post"],
  ];
  return (
    <form class="card admin-form" method="post" action={`/admin/rooms/${room.id}`}>
      <label>
        Name
        <input name="name" value={room.name} maxlength={64} required />
      </label>
      <label>
        Kind
        <select name="access">
          {kinds.map(([value, label]) => (
            <option value={value} selected={access === value}>{label}</option>
          ))}
        </select>
      </label>
      <label>
        Who may read
        <select name="read_access">
          <option value="all" selected={room.read_access === "all"}>
            Everyone the kind lets in
          </option>
          <option value="admins" selected={room.read_access === "admins"}>Admins only</option>
        </select>
      </label>
      <label class="check">
        <input type="checkbox" name="guests_allowed" value="on" checked={room.guests_allowed} />
        Guests may enter
      </label>
      <button type="submit">Save room</button>
    </form>
  );
}

function Members(props: { room: Room; members: Member[] }) {
  const { room } = props;
  return (
    <section>
      <h2>Members ({props.members.length})</h2>
      <ul class="admin-members">
        {props.members.map((m) => (
          <li>
            {m.display_name} <small>@{m.username} · {m.role}</small>
            {room.kind === "private" && (
              <ActionButton
                action={`/admin/rooms/${room.id}/members/${m.id}/remove`}
                label="Remove"
                danger
              />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** `/admin/rooms/:id`: change one room, archive it, delete it, remove members. */
export function AdminRoom(
  props: { user: User; room: Room; members: Member[]; error?: string | null },
) {
  const { room } = props;
  const base = `/admin/rooms/${room.id}`;
  return (
    <AdminPage user={props.user} section="rooms" title={`#${room.name}`} error={props.error}>
      <p>
        <a href={`/rooms/${room.slug}`}>Open the room</a> ·{" "}
        {room.archived_at ? "archived" : "active"}
      </p>
      <RoomForm room={room} />
      <p class="actions">
        {room.archived_at
          ? <ActionButton action={`${base}/unarchive`} label="Unarchive" />
          : <ActionButton action={`${base}/archive`} label="Archive" />}
        <a class="danger" href={`${base}/delete`}>Delete…</a>
      </p>
      <PublicArchive room={room} />
      <Members room={room} members={props.members} />
    </AdminPage>
  );
}

/** The confirmation step before deleting a room: type its slug. */
export function ConfirmDeleteRoom(props: { user: User; room: Room; error?: string | null }) {
  const { room } = props;
  return (
    <AdminPage
      user={props.user}
      section="rooms"
      title={`Delete #${room.name}?`}
      error={props.error}
    >
      <form class="card admin-form" method="post" action={`/admin/rooms/${room.id}/delete`}>
        <p>
          This deletes the room and every message in it, for everyone. It cannot be undone. Type
          {" "}
          <code>{room.slug}</code> to confirm.
        </p>
        <input name="confirm" autocomplete="off" required />
        <button type="submit" class="danger">Delete #{room.name} for good</button>
        <a href={`/admin/rooms/${room.id}`}>Cancel</a>
      </form>
    </AdminPage>
  );
}
