/**
 * Replaces the room's status line when the server ends the live connection for good (access
 * removed); `data-ended` keeps static/chat.js from overwriting it with "reconnecting".
 */
export function EndedNotice(props: { reason: string }) {
  return (
    <span id="status" class="status ended" aria-live="polite" hx-swap-oob="true" data-ended="">
      {props.reason}
    </span>
  );
}
