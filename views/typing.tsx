/**
 * "Ana is typing…" near the composer. Pushed with `oob` to replace the line; the stylesheet
 * fades it out after a few seconds, so a typer who stops needs no further push.
 */
export function Typing(props: { name?: string | null; oob?: boolean }) {
  return (
    <p
      id="typing"
      class="typing"
      aria-live="polite"
      hx-swap-oob={props.oob ? "true" : undefined}
    >
      {props.name && <span>{props.name} is typing…</span>}
    </p>
  );
}
