// How a script's tail (live/api_tail.ts) writes one change to a message: a text line such as
// `14:05 ana: hello`, or a JSON object on a line of its own.
import type { MessageView } from "../db/messages.ts";

/** How a tail writes: text lines (in a time zone, optionally led by the version) or JSON. */
export interface TailFormat {
  json: boolean;
  timeZone: string;
  /** Text lines start with the room version, the point to resume from. */
  ids: boolean;
}

/** What a change to a message is: new, edited, deleted, or touched (a reaction). */
export type ChangeKind = "message" | "edit" | "delete" | "update";

/** The kind of change a row at its current version records. */
export function kindOf(m: MessageView): ChangeKind {
  if (m.deleted_at) return "delete";
  if (m.version === m.seq) return "message";
  return m.edited_at ? "edit" : "update";
}

/** One change as a JSON line: what a script needs, with the version to resume from. */
export function jsonLine(m: MessageView): string {
  const kind = kindOf(m);
  const body = kind === "delete" ? null : m.body;
  const event = { id: m.id, room: m.room_slug, author: m.username, body, kind, version: m.version };
  return `${JSON.stringify({ ...event, created_at: new Date(m.created_at).toISOString() })}\n`;
}

/** One change as a text line (`14:05 ana: hello`), or "" for a change text does not show. */
export function textLine(m: MessageView, format: TailFormat): string {
  const kind = kindOf(m);
  const at = kind === "delete" ? m.deleted_at : kind === "edit" ? m.edited_at : m.created_at;
  const time = new Intl.DateTimeFormat("en-GB", {
    timeZone: format.timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(at ?? m.created_at));
  const body = m.body.replace(/\r\n|\r|\n/g, " \u21b5 ");
  const said = kind === "message"
    ? `${m.username}: ${body}`
    : kind === "edit"
    ? `${m.username} edited: ${body}`
    : kind === "delete"
    ? `${m.username} deleted a message`
    : "";
  if (!said) return "";
  return `${format.ids ? `${m.version} ` : ""}${time} ${said}\n`;
}
