import type { MessageView } from "../db/messages.ts";
import { QUICK_EMOJI } from "../db/reactions.ts";
import { FormError } from "./layout.tsx";

/** Names listed in a reaction's title; the rest are counted, so a push stays small. */
const NAMES_SHOWN = 12;

function who(names: string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).join(", ");
  const more = names.length - NAMES_SHOWN;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

function reactionsPath(m: MessageView) {
  return `/rooms/${m.room_slug}/messages/${m.id}/reactions`;
}

/**
 * A message's reactions: one button per emoji already used (count; who, in the title) that
 * toggles the reader's own, and a "+" that loads the picker on demand (a page without JS;
 * with JS, static/chat.js loads it in place), so a pushed message carries only what it shows.
 */
export function Reactions(props: { message: MessageView }) {
  const m = props.message;
  const path = reactionsPath(m);
  const used = m.reactions ?? [];
  return (
    <div class="reactions">
      {used.length > 0 && (
        <form method="post" action={path} hx-post={path} hx-swap="none">
          {used.map((r) => (
            <button type="submit" name="emoji" value={r.emoji} title={who(r.names)}>
              {r.emoji} {r.names.length}
            </button>
          ))}
        </form>
      )}
      <a class="react" href={path} aria-label="React">+</a>
    </div>
  );
}

/** The quick emoji and a free one; posted by htmx in place, or as plain forms. */
export function ReactionPicker(props: { message: MessageView; emoji?: string; error?: string }) {
  const path = reactionsPath(props.message);
  const live = { "hx-post": path, "hx-target": "closest .picker", "hx-swap": "outerHTML" };
  return (
    <div class="picker">
      <form method="post" action={path} {...live}>
        {QUICK_EMOJI.map((e) => <button type="submit" name="emoji" value={e}>{e}</button>)}
      </form>
      <form method="post" action={path} {...live}>
        <input name="emoji" value={props.emoji ?? ""} maxlength={32} aria-label="Any emoji" />
        <button type="submit">React</button>
        <FormError message={props.error} />
      </form>
    </div>
  );
}
