import { html } from "hono/html";
import type { MessageView } from "../db/messages.ts";
import type { Room } from "../db/schema.ts";
import { staticUrl } from "./assets.ts";
import { History } from "./room_page.tsx";

/** How often the framed log reloads itself (JavaScript off). */
export const LOG_REFRESH_S = 15;

/**
 * The room's latest messages as a page of its own, for the frame a room page shows with
 * JavaScript off: it reloads itself every LOG_REFRESH_S seconds and opens at its end (#end),
 * so the newest message is in view, while the page around it (and its composer) stays put.
 * Links open in the whole window.
 */
export function RoomLog(props: { room: Room; messages: MessageView[]; hasMore: boolean }) {
  // A new query each time: a refresh to the same URL and #end would only scroll, not reload.
  const here = `/rooms/${props.room.slug}/log?at=${Date.now()}#end`;
  return html`<!DOCTYPE html>${(
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="refresh" content={`${LOG_REFRESH_S};url=${here}`} />
        <title>#{props.room.slug} · messages</title>
        <base target="_top" />
        <link rel="stylesheet" href={staticUrl("app.css")} />
      </head>
      <body class="log">
        <div class="messages" role="log" aria-label="Messages">
          <History room={props.room} messages={props.messages} hasMore={props.hasMore} />
        </div>
        <p id="end" class="log-end"></p>
      </body>
    </html>
  )}`;
}
