import type { OnlineNow } from "../db/presence.ts";
import { Prerendered, render, type Rendered } from "./rendered.ts";

/**
 * Who is online in the room, each name a link to message them: without JavaScript it opens
 * the direct conversation; the page script turns it into `/pm <username> ` in the composer.
 * Pushed with `oob` to replace the list's contents wherever it is (the section itself stays, so a
 * phone's open panel, `#online:target`, stays open). Entries are kept to the bare link:
 * a WebSocket keeps a buffer the size of the largest frame it has sent.
 */
export function OnlineList(props: { online: OnlineNow; oob?: boolean; shown?: number }) {
  const users = props.online.users.slice(0, props.shown);
  return (
    <section
      id="online"
      class="people online"
      aria-label="Online now"
      hx-swap-oob={props.oob ? "innerHTML" : undefined}
    >
      <OnlineTotal online={props.online} />
      {props.online.users.length > 0 && <p class="hint">Select a name to message them.</p>}
      <ul id="online-names">{users.map((u) => <OnlineName user={u} />)}</ul>
      <OnlineMore online={props.online} />
    </section>
  );
}

function OnlineName(props: { user: OnlineNow["users"][number] }) {
  const u = props.user;
  return (
    <li>
      <a href={`/dm/${u.username}`} title={`@${u.username}`}>{u.display_name}</a>
    </li>
  );
}

/** Pushed list frames stay under about this many characters. */
const LIST_FRAME = 1024;

/**
 * The list as pushed frames: the list with the names that fit in the first, the rest
 * appended in frames of about 1 KB (a socket's buffer grows to its largest frame and stays).
 */
export function onlineListFrames(online: OnlineNow): string[] {
  const names = online.users.map((u) => render(<OnlineName user={u} />));
  let size = String(<OnlineList online={online} shown={0} oob />).length;
  let shown = 0;
  while (shown < names.length && (!shown || size + names[shown].length <= LIST_FRAME)) {
    size += names[shown++].length;
  }
  const frames = [String(<OnlineList online={online} shown={shown} oob />)];
  const wrapper = String(<OnlineNamesAppend html={[]} />).length;
  for (let start = shown; start < names.length;) {
    let end = start + 1, chunk = wrapper + names[start].length;
    while (end < names.length && chunk + names[end].length <= LIST_FRAME) {
      chunk += names[end++].length;
    }
    frames.push(String(<OnlineNamesAppend html={names.slice(start, end)} />));
    start = end;
  }
  return frames;
}

function OnlineNamesAppend(props: { html: Rendered[] }) {
  return (
    <ul id="online-names" hx-swap-oob="beforeend">
      <Prerendered html={props.html} />
    </ul>
  );
}

/**
 * The list's figures alone (how many are online, how many are not named), pushed when
 * only those changed: someone beyond the named ones came or went.
 */
export function OnlineFigures(props: { online: OnlineNow }) {
  return (
    <>
      <OnlineTotal online={props.online} oob />
      <OnlineMore online={props.online} oob />
    </>
  );
}

function OnlineTotal(props: { online: OnlineNow; oob?: boolean }) {
  return (
    <h2 id="online-total" hx-swap-oob={props.oob ? "true" : undefined}>
      Online now ({props.online.total})
    </h2>
  );
}

function OnlineMore(props: { online: OnlineNow; oob?: boolean }) {
  const more = props.online.total - props.online.users.length;
  return (
    <p id="online-more" class="more" hx-swap-oob={props.oob ? "true" : undefined} hidden={!more}>
      {more > 0 && `and ${more} more`}
    </p>
  );
}

/** A quiet line appended to the message list (not a message: no id, not logged). */
export function RoomNotice(props: { text: string; kind?: string }) {
  return (
    <div id="messages" hx-swap-oob="beforeend">
      <p class={`notice${props.kind ? ` ${props.kind}` : ""}`} role="status">{props.text}</p>
    </div>
  );
}

/** The online count of one room in the room index or the sidebar, replaced live by id. */
export function OnlineCount(props: { roomId: string; count: number; oob?: boolean }) {
  return (
    <span
      id={`online-${props.roomId}`}
      class={`online-count${props.count ? "" : " none"}`}
      hx-swap-oob={props.oob ? "true" : undefined}
    >
      {props.count} online
    </span>
  );
}
