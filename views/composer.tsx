import type { Room } from "../db/schema.ts";
import { MAX_BODY } from "../db/messages.ts";
import { clip } from "../db/text.ts";
import { FormError } from "./layout.tsx";

/** Transport the live page uses; "off" is the plain page (JavaScript off or refused). */
export type Transport = "ws" | "sse";

/**
 * The message box. Without JavaScript it is a plain form post; over WebSocket htmx sends
 * it as a frame (ws-send); over SSE htmx posts it and swaps the fresh form back in.
 */
export function Composer(
  props: { room: Room; transport: Transport; body?: string; error?: string | null; oob?: boolean },
) {
  const action = `/rooms/${props.room.slug}/messages`;
  const live = props.transport === "ws"
    ? { "ws-send": "" }
    : { "hx-post": action, "hx-target": "this", "hx-swap": "outerHTML" };
  return (
    <form
      id="composer"
      class="composer"
      method="post"
      action={action}
      hx-swap-oob={props.oob ? "true" : undefined}
      {...live}
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
        required
      >
        {clip(props.body ?? "", MAX_BODY)}
      </textarea>
      <button type="submit">Send</button>
      <FormError id="composer-error" message={props.error} />
    </form>
  );
}
