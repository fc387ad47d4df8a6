import { publicRefusal } from "../db/archive.ts";
import type { Room } from "../db/schema.ts";
import { ActionButton } from "./admin_layout.tsx";

/** Whether the room's history is public (/archive/<slug>), and the button that changes it. */
export function PublicArchive(props: { room: Room }) {
  const { room } = props;
  const refusal = publicRefusal(room);
  const base = `/admin/rooms/${room.id}`;
  return (
    <section>
      <h2>Public archive</h2>
      {room.public_archive && !refusal && (
        <p>
          Anyone can read this room's history, without an account, at{" "}
          <a href={`/archive/${room.slug}`}>/archive/{room.slug}</a> (and its Atom feed).
        </p>
      )}
      {room.public_archive && refusal && <p>Published, but hidden now: {refusal}.</p>}
      {!room.public_archive && <p>The history is not public.</p>}
      {room.public_archive
        ? <ActionButton action={`${base}/unpublish`} label="Make the history private" />
        : refusal
        ? <p>It cannot be made public: {refusal}.</p>
        : <ActionButton action={`${base}/publish`} label="Make the history public" />}
    </section>
  );
}
