import { type ArchiveDay, type ArchivedMessage, DAY_LIMIT } from "../db/archive.ts";
import type { Room } from "../db/schema.ts";
import { ArchivedLine, ArchiveLayout } from "./archive_layout.tsx";

/** Where a public room's archive pages live (routes/archive.tsx answers them). */
export function archivePath(room: Room, day?: string): string {
  return day ? `/archive/${room.slug}/${day}` : `/archive/${room.slug}`;
}

const DATE = new Intl.DateTimeFormat("en-GB", { dateStyle: "full", timeZone: "UTC" });

/** A `YYYY-MM-DD` day spelled out ("Tuesday 1 December 2026"). */
function longDay(day: string): string {
  return DATE.format(new Date(`${day}T00:00:00Z`));
}

/** `/archive/:slug`: the days that have messages, newest first, a page at a time. */
export function ArchiveIndex(
  props: {
    room: Room;
    origin: string;
    days: ArchiveDay[];
    before: string | null;
    older: string | null;
  },
) {
  const { room } = props;
  const page = archivePath(room) + (props.before ? `?before=${props.before}` : "");
  return (
    <ArchiveLayout
      title={`#${room.name} archive`}
      canonical={props.origin + page}
      feed={`${archivePath(room)}/feed.atom`}
    >
      <h1>#{room.name}: public archive</h1>
      <p>
        Every day with messages, newest first (days in UTC).{" "}
        <a href={`/archive/${room.slug}/feed.atom`}>
          Atom feed
        </a>
      </p>
      {props.days.length
        ? (
          <ul class="archive-days">
            {props.days.map((d) => (
              <li>
                <a href={archivePath(room, d.day)}>{longDay(d.day)}</a>{" "}
                <small>{d.count === 1 ? "1 message" : `${d.count} messages`}</small>
              </li>
            ))}
          </ul>
        )
        : <p>No messages yet.</p>}
      {props.older && (
        <p>
          <a rel="next" href={`${archivePath(room)}?before=${props.older}`}>Older days</a>
        </p>
      )}
    </ArchiveLayout>
  );
}

/** `/archive/:slug/:day`: that UTC day's messages in order, with the days either side. */
export function ArchiveDayPage(props: {
  room: Room;
  origin: string;
  day: string;
  messages: ArchivedMessage[];
  prev: string | null;
  next: string | null;
}) {
  const { room, day } = props;
  const page = archivePath(room, day);
  return (
    <ArchiveLayout
      title={`#${room.name}, ${day}`}
      canonical={props.origin + page}
      feed={`${archivePath(room)}/feed.atom`}
    >
      <h1>#{room.name}, {longDay(day)}</h1>
      <DayNav room={room} prev={props.prev} next={props.next} />
      <div id="messages" class="archive-log">
        {props.messages.map((m) => <ArchivedLine message={m} href={`${page}#m-${m.id}`} />)}
      </div>
      {props.messages.length >= DAY_LIMIT && (
        <p>This day holds more messages than one page shows; the first {DAY_LIMIT} are here.</p>
      )}
      <DayNav room={room} prev={props.prev} next={props.next} />
    </ArchiveLayout>
  );
}

function DayNav(props: { room: Room; prev: string | null; next: string | null }) {
  const { room } = props;
  return (
    <nav class="archive-nav" aria-label="Days">
      {props.prev && <a rel="prev" href={archivePath(room, props.prev)}>← {props.prev}</a>}
      {props.prev && " · "}
      <a href={archivePath(room)}>All days</a>
      {props.next && " · "}
      {props.next && <a rel="next" href={archivePath(room, props.next)}>{props.next} →</a>}
    </nav>
  );
}
