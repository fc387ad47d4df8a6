import type { MessageView } from "../db/messages.ts";
import type { User } from "../db/schema.ts";

const ULID = /^[0-9A-Z]{26}$/;

/**
 * Edit and delete controls for one message. One render serves every subscriber, so they are
 * always present and hidden by CSS (`.msg .own`); OwnControlsStyle shows them to whoever may
 * use them. The server checks again on every post.
 */
export function MessageControls(props: { message: MessageView }) {
  const m = props.message;
  const base = `/rooms/${m.room_slug}/messages/${m.id}`;
  return (
    <div class="own controls">
      <details class="edit">
        <summary>Edit</summary>
        <form method="post" action={`${base}/edit`} hx-post={`${base}/edit`} hx-swap="none">
          <textarea name="body" rows={3} required aria-label="Edited message">{m.body}</textarea>
          <button type="submit">Save</button>
        </form>
      </details>
      <form
        method="post"
        action={`${base}/delete`}
        hx-post={`${base}/delete`}
        hx-swap="none"
        hx-confirm="Delete this message for everyone?"
      >
        <button type="submit" class="delete">Delete</button>
      </form>
    </div>
  );
}

/** A CSS identifier for a ULID: a leading digit must be written as a hex escape. */
function cssIdent(id: string): string {
  return /^\d/.test(id) ? `\\${id.charCodeAt(0).toString(16)} ${id.slice(1)}` : id;
}

/** Per-reader `<style>` that reveals the edit/delete controls this person may use. */
export function OwnControlsStyle(props: { user: User }) {
  const { id, role } = props.user;
  if (role === "admin") return <style>{".msg[data-author] .own{display:inline-flex}"}</style>;
  if (!ULID.test(id)) return null;
  return <style>{`.msg[data-author=${cssIdent(id)}] .own{display:inline-flex}`}</style>;
}
