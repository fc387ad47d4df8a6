import type { MessageView } from "../db/messages.ts";
import { isAction } from "../db/body_rules.ts";
import { Attachments } from "./attachments.tsx";
import { FormattedBody } from "./format.tsx";
import { MessageControls } from "./message_actions.tsx";
import { Reactions } from "./reactions.tsx";
import { Prerendered, type Rendered } from "./rendered.ts";

const TIME = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

/** A `<time>` with a machine value and UTC text; the page script shows it in local time. */
export function Time(props: { at: Date }) {
  return <time datetime={props.at.toISOString()}>{TIME.format(props.at)} UTC</time>;
}

const CLOCK = new Intl.DateTimeFormat("en-GB", { timeStyle: "short", timeZone: "UTC" });

/**
 * A message's time, short ("14:05"): the day is in the list's day dividers, and the page
 * script shows it in the reader's zone with the full date on hover.
 */
function ShortTime(props: { at: Date }) {
  return <time datetime={props.at.toISOString()}>{CLOCK.format(props.at)}</time>;
}

/** A person's messages within this long of each other form one group (static/chat.js too). */
export const GROUP_MS = 5 * 60 * 1000;

/**
 * True when `m` continues `before`'s group: same person, same (UTC) day, within GROUP_MS, and
 * neither deleted. The page script regroups in the reader's zone after every swap; this makes
 * the first paint already grouped, so nothing moves when it does.
 */
export function continues(m: MessageView, before: MessageView | undefined): boolean {
  if (!before || before.author_id !== m.author_id || m.deleted_at || before.deleted_at) {
    return false;
  }
  const [at, was] = [m.created_at, before.created_at];
  return at.getTime() - was.getTime() < GROUP_MS &&
    at.toISOString().slice(0, 10) === was.toISOString().slice(0, 10);
}

/** Avatar colours (static/app.css `.h0`-`.h11`): one per name, the same on every page. */
const HUES = 12;

/** The colour class of a name: a small stable hash, no external service. */
export function hueOf(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return `h${hash % HUES}`;
}

/** Up to two initials of a display name ("Ana Lima" -> "AL", "bob" -> "BO"). */
export function initialsOf(name: string): string {
  const words = name.split(/[\s._-]+/).filter(Boolean);
  const letters = words.length > 1
    ? [[...words[0]][0], [...words[1]][0]]
    : [...(words[0] ?? "?")].slice(0, 2);
  return letters.join("").toUpperCase();
}

/**
 * One message. The same component serves the page, htmx responses, pushes and the resume
 * path; `oob` makes it replace the element with the same id wherever it is. A deleted
 * message never prints its body (nor offers controls), whatever the row still holds. Its
 * avatar is drawn by the stylesheet from `data-i` and the colour class; the page script groups
 * a person's consecutive messages (`.cont`) and adds day dividers, after every swap.
 */
export function Message(props: { message: MessageView; oob?: boolean; cont?: boolean }) {
  const m = props.message;
  const action = !m.deleted_at && isAction(m.body);
  const kind = `${action ? " action" : ""}${m.deleted_at ? " deleted" : ""}${
    props.cont ? " cont" : ""
  }`;
  return (
    <article
      id={`m-${m.id}`}
      class={`msg ${hueOf(m.username)}${kind}`}
      data-author={m.author_id}
      data-i={initialsOf(m.display_name)}
      hx-swap-oob={props.oob ? "true" : undefined}
    >
      <header>
        <a class="author" href={`/dm/${m.username}`} title={`@${m.username}`}>{m.display_name}</a>
        <a class="when" href={`/rooms/${m.room_slug}/messages/${m.id}`}>
          <ShortTime at={m.created_at} />
        </a>
        {m.edited_at && !m.deleted_at && <span class="edited">edited</span>}
        {(m.edited_at || m.deleted_at) && (
          <a class="history" href={`/rooms/${m.room_slug}/messages/${m.id}/revisions`}>
            history
          </a>
        )}
      </header>
      {m.deleted_at ? <p class="body placeholder">message deleted</p> : (
        <>
          {m.body && (
            <div class="body">
              <FormattedBody body={m.body} />
            </div>
          )}
          <Attachments slug={m.room_slug} files={m.files} />
          <Reactions message={m} />
          <MessageControls message={m} />
        </>
      )}
    </article>
  );
}

/** New messages pushed to a page that does not have them yet (rendered `Message`s, in order). */
export function AppendMessages(props: { html: Rendered[] }) {
  return (
    <div id="messages" hx-swap-oob="beforeend">
      <Prerendered html={props.html} />
    </div>
  );
}
