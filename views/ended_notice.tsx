/**
 * Replaces the page's status line when the server ends its live connection for good (signed
 * out, access removed); `data-ended` keeps static/chat.js from overwriting it with
 * "reconnecting", and the page makes no further live requests.
 */
export function EndedNotice(props: { reason: string; link?: "signin" | "rooms" }) {
  return (
    <span id="status" class="status ended" aria-live="polite" hx-swap-oob="true" data-ended="">
      {props.reason}
      {props.link && " "}
      {props.link && <a href="/">{props.link === "signin" ? "Sign in" : "All rooms"}</a>}
    </span>
  );
}
