// Which answer /rooms/:slug/events gives: the page's event stream (as it always was), or a
// script's tail (live/api_tail.ts) as text lines or JSON lines, decided by Accept and by a
// bearer token; routes/room_events.tsx asks here first.
import type { Context } from "hono";
import { ApiTail } from "../live/api_tail.ts";
import type { TailFormat } from "../live/tail_lines.ts";
import type { Deps } from "./env.ts";
import { bearerOnly } from "./guards.ts";
import type { RoomEnv } from "./room.tsx";

/**
 * The tail a request asks for, or null for the page's SSE stream: `Accept: text/event-stream`
 * (EventSource) always gets SSE; JSON or plain text when asked for; a bearer request that
 * names neither gets text (that is `curl -N`). A bad `tz` is a string: the reason for a 400.
 */
export function tailFormat(c: Context, deps: Deps): TailFormat | string | null {
  const accept = c.req.header("accept") ?? "";
  if (accept.includes("text/event-stream")) return null;
  const json = /application\/(x-nd)?json/.test(accept);
  const text = accept.includes("text/plain") || bearerOnly(deps.config, c.req.raw) !== null;
  if (!json && !text) return null;
  const timeZone = c.req.query("tz") || "UTC";
  if (timeZone.length > 64 || !validZone(timeZone)) {
    return `Unknown time zone ${timeZone.slice(0, 64)}: use a name like Europe/Berlin`;
  }
  return { json, timeZone, ids: c.req.query("ids") !== undefined };
}

function validZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The tail's response from `cursor` (Last-Event-ID or ?after=, else the room's version). */
export function tailResponse(
  c: Context<RoomEnv>,
  deps: Deps,
  input: { cursor: number; format: TailFormat | string },
): Response {
  if (typeof input.format === "string") return c.text(input.format, 400);
  const place = {
    user: c.get("user"),
    session: c.get("session"),
    room: c.get("room"),
    ...input,
    format: input.format,
  };
  return new ApiTail(deps, place).response();
}
