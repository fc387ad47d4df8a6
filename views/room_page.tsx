import type { MessageView } from "../db/messages.ts";
import type { RoomSummary } from "../db/rooms.ts";
import type { Child } from "hono/jsx";
import type { Room, User } from "../db/schema.ts";
import { Composer, type Transport } from "./composer.tsx";
import { Cursor, Synced } from "./frame.tsx";
import { staticUrl } from "./assets.ts";
import { Layout } from "./layout.tsx";
import { continues, Message } from "./message.tsx";
import { OwnControlsStyle } from "./message_actions.tsx";
import { OnlineList } from "./online_list.tsx";
import { RoomList } from "./room_list.tsx";
import { Typing } from "./typing.tsx";
import type { OnlineNow } from "../db/presence.ts";
import { UnreadDivider } from "./unread.tsx";

/** The "load older" control: htmx fetches the page before `seq`; without JS, a link. */
export function LoadOlder(props: { room: Room; before: number }) {
  return (
    <a
      class="load-older"
      href={`/rooms/${props.room.slug}?before=${props.before}`}
      hx-get={`/rooms/${props.room.slug}/messages?before=${props.before}`}
      hx-target="this"
      hx-swap="outerHTML"
    >
      Load older messages
    </a>
  );
}

const DAY = new Intl.DateTimeFormat("en-GB", {
  weekday: "long",
  day: "numeric",
  month: "long",
  timeZone: "UTC",
});

/**
 * A line between days ("Monday 30 November", in UTC here). The page script redraws them in
 * the reader's zone ("Today", "Yesterday") after every swap; without it these stay.
 */
export function DayDivider(props: { at: Date }) {
  return <p class="day" role="separator">{DAY.format(props.at)}</p>;
}

/** A page of history, oldest first, preceded by its "load older" control when more exist. */
export function History(
  props: { room: Room; messages: MessageView[]; hasMore: boolean; unreadId?: string | null },
) {
  const first = props.messages[0];
  const day = (m?: MessageView) => m?.created_at.toISOString().slice(0, 10);
  return (
    <>
      {props.hasMore && first && <LoadOlder room={props.room} before={first.seq} />}
      {props.messages.map((m, i) => (
        <>
          {day(m) !== day(props.messages[i - 1]) && <DayDivider at={m.created_at} />}
          {m.id === props.unreadId && <UnreadDivider />}
          <Message
            message={m}
            cont={m.id !== props.unreadId && continues(m, props.messages[i - 1])}
          />
        </>
      ))}
    </>
  );
}

/**
 * The page's one live connection: the room's log plus the person's own feeds (`feeds=1`:
 * inbox, unread and online counts for the sidebar), over a WebSocket or an event stream.
 */
function liveAttributes(room: Room, transport: Transport) {
  const base = `/rooms/${room.slug}`;
  return transport === "ws"
    ? { "hx-ext": "ws", "ws-connect": `${base}/live?feeds=1` }
    : { "hx-ext": "sse", "sse-connect": `${base}/events?feeds=1`, "sse-close": "ended" };
}

/** The room: history, composer and the live connection. */
export function RoomPage(props: {
  user: User;
  room: Room;
  rooms: RoomSummary[];
  messages: MessageView[];
  hasMore: boolean;
  transport: Transport;
  archive: boolean;
  /** The first unread message, preceded by a "New messages" divider. */
  unreadId?: string | null;
  composer?: { body?: string; error?: string | null };
  /** Who is online (presence); pushed live once the page connects. */
  online?: OnlineNow;
  /** Online counts per room id, for the sidebar. */
  counts?: Map<string, number>;
  notice?: Child;
}) {
  const { room, transport } = props;
  const other = transport === "ws" ? "sse" : "ws";
  return (
    <Layout
      title={room.kind === "direct" ? room.name : `#${room.slug}`}
      user={props.user}
      wide
      notice={props.notice}
      feeds={props.archive ? "rooms" : "none"}
      head={
        <>
          <noscript>
            <link rel="stylesheet" href={staticUrl("nojs.css")} />
          </noscript>
          <OwnControlsStyle user={props.user} />
        </>
      }
    >
      <div class="room-layout">
        <RoomList rooms={props.rooms} current={room.slug} counts={props.counts} />
        <main id="main" class="room" data-room={room.slug} data-transport={transport}>
          <header class="room-head">
            <h1>{room.kind === "direct" ? room.name : `#${room.name}`}</h1>
            {!props.archive && <span id="status" class="status" aria-live="polite"></span>}
            <a class="members" href={`/rooms/${room.slug}/members`}>Members</a>
            <a class="panel-link" href="#rooms">Rooms</a>
            <a class="panel-link" href="#online">People</a>
          </header>
          <div id="live" {...(props.archive ? {} : liveAttributes(room, transport))}>
            {transport === "sse" && !props.archive && (
              <div sse-swap="message" hx-swap="none" hidden></div>
            )}
            {!props.archive && (
              <noscript>
                <iframe class="nojs-log" src={`/rooms/${room.slug}/log#end`} title="Messages">
                </iframe>
              </noscript>
            )}
            <div id="messages" class="messages" role="log" aria-label="Messages">
              <History
                room={room}
                messages={props.messages}
                hasMore={props.hasMore}
                unreadId={props.unreadId}
              />
              {props.archive && (
                <a class="load-newer" href={`/rooms/${room.slug}`}>Back to the latest messages</a>
              )}
            </div>
            <Cursor version={room.version} />
            <Synced version={room.version} />
            <Typing />
            {room.archived_at
              ? (
                <p class="archived-banner" role="status">
                  This room is archived: its history stays readable, and nobody can post here.
                </p>
              )
              : <Composer room={room} {...props.composer} />}
            <p class="transport-note">
              <a href={`?transport=${other}`}>
                {transport === "ws"
                  ? "Live updates not arriving? Try the compatible connection"
                  : "Using the compatible connection: switch back to the standard one"}
              </a>
            </p>
          </div>
        </main>
        <OnlineList online={props.online ?? { users: [], total: 0 }} />
        {/* Outside the list, which is pushed often: its close link on a phone. */}
        <a class="close-panel close-people" href="#main" aria-label="Close the people online">
          ×
        </a>
      </div>
    </Layout>
  );
}
