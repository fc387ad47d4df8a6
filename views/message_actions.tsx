import { MAX_BODY, type MessageView } from "../db/messages.ts";
import { clip } from "../db/text.ts";
import type { User } from "../db/schema.ts";
import { FormError } from "./layout.tsx";

const ULID = /^[0-9A-Z]{26}$/;

/**
 * The edit control of one message. One render serves every subscriber, so it is always
 * present and hidden by CSS (`.msg .own`); OwnControlsStyle shows it to whoever may use it.
 * The forms (EditForm) load on demand to keep pushed fragments small: a page of its own
 * without JS, in place with it (static/chat.js). The server checks again on every request.
 */
export function MessageControls(props: { message: MessageView }) {
  const edit = `/rooms/${props.message.room_slug}/messages/${props.message.id}/edit`;
  return <a class="own" href={edit}>Edit</a>;
}

/**
 * Edit and delete forms, with the typed text and the reason when a save was refused. An
 * admin looking at someone else's message (`deleteOnly`) gets the Delete button alone.
 */
export function EditForm(
  props: { message: MessageView; body?: string; error?: string | null; deleteOnly?: boolean },
) {
  const m = props.message;
  const base = `/rooms/${m.room_slug}/messages/${m.id}`;
  const live = { "hx-target": "closest .edit-form", "hx-swap": "outerHTML" };
  const cancel = <a href={`/rooms/${m.room_slug}#m-${m.id}`}>Cancel</a>;
  return (
    <div class="edit-form">
      {props.deleteOnly
        ? <p>Only its author can edit this message. {cancel}</p>
        : (
          <form method="post" action={`${base}/edit`} hx-post={`${base}/edit`} {...live}>
            <textarea name="body" rows={3} required aria-label="Edited message">
              {clip(props.body ?? m.body, MAX_BODY)}
            </textarea>
            <FormError message={props.error} />
            <button type="submit">Save</button> {cancel}
          </form>
        )}
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

/**
 * The per-reader stylesheet that reveals the controls this person may use (admins: history
 * too). Linked, not an inline `<style>`: the Content-Security-Policy refuses inline style.
 */
export function OwnControlsStyle(props: { user: User }) {
  const key = props.user.role === "admin" ? "admin" : props.user.id;
  if (controlsCss(key) === null) return null;
  return <link rel="stylesheet" href={`/controls.css?for=${key}`} />;
}

/** The rules for "admin" or one user id (served by routes/controls_css.ts); null for others. */
export function controlsCss(key: string): string | null {
  if (key === "admin") return ".msg[data-author] .own,.msg .history{display:inline}";
  if (!ULID.test(key)) return null;
  return `.msg[data-author=${cssIdent(key)}] .own{display:inline}`;
}
