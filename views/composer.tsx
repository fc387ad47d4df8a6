import type { Room } from "../db/schema.ts";
import { MAX_BODY } from "../db/messages.ts";
import { clip } from "../db/text.ts";
import { FormError } from "./layout.tsx";

/** Transport the live page uses: a WebSocket, or Server-Sent Events with posts. */
export type Transport = "ws" | "sse";

/**
 * The message box. Without JavaScript it is a plain form post. With it, static/chat.js takes
 * each submit: it gives the message its own client_id, shows it pending, and sends it over
 * the page's WebSocket or as a post, again after a reconnect until the server has it. Files
 * (button, drop or paste) go with the text as one multipart post (routes/file_sends.ts).
 */
export function Composer(
  props: { room: Room; body?: string; error?: string | null; oob?: boolean },
) {
  const action = `/rooms/${props.room.slug}/messages`;
  return (
    <form
      id="composer"
      class="composer"
      method="post"
      action={action}
      enctype="multipart/form-data"
      hx-swap-oob={props.oob ? "true" : undefined}
    >
      <input type="hidden" name="client_id" value="" />
      <textarea
        name="body"
        rows={1}
        maxlength={MAX_BODY}
        placeholder={props.room.kind === "direct"
          ? `Message ${props.room.name}`
          : `Message #${props.room.slug}`}
        aria-label="Message"
        autofocus
      >
        {clip(props.body ?? "", MAX_BODY)}
      </textarea>
      <label class="attach">
        <span>Attach</span>
        <input type="file" name="files" multiple aria-label="Attach files" />
      </label>
      <button type="submit">Send</button>
      <FormError id="composer-error" message={props.error} />
    </form>
  );
}

/**
 * Tells the sending page its message with this client_id is stored: the pending copy goes
 * (the message itself arrives with the room's log). static/chat.js names pending copies so.
 */
export function SentMark(props: { clientId: string }) {
  return <div id={`pending-${props.clientId}`} hx-swap-oob="delete"></div>;
}
