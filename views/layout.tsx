import { html } from "hono/html";
import type { Child } from "hono/jsx";
import type { User } from "../db/schema.ts";
import { staticUrl } from "./assets.ts";
import { InboxBadge, Notices } from "./inbox_live.tsx";
import { SearchBox } from "./search_box.tsx";

// 422 and 429 carry a form with its error message, so htmx swaps them like a success; 413
// carries a notice line (routes/limits.tsx). No eval, no script tags, no requests elsewhere,
// and no injected indicator style: the Content-Security-Policy (routes/headers.ts) forbids
// inline style (no page uses an htmx indicator; one that does puts its rules in static/app.css).
const HTMX_CONFIG = JSON.stringify({
  responseHandling: [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "413|422|429", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
  ],
  scrollIntoViewOnBoost: false,
  allowEval: false,
  allowScriptTags: false,
  selfRequestsOnly: true,
  includeIndicatorStyles: false,
});

/** The page shell: head, header with the signed-in person, and the main content. */
export function Layout(
  props: {
    title: string;
    user: User | null;
    children: Child;
    head?: Child;
    wide?: boolean;
    notice?: Child;
    /**
     * What the page's one live connection carries when the page has no room connection of
     * its own: the inbox (every page), plus room counts where the page lists rooms; "none"
     * when the page's room connection carries them.
     */
    feeds?: "inbox" | "rooms" | "none";
  },
) {
  const feeds = props.user ? props.feeds ?? "inbox" : "none";
  return html`<!DOCTYPE html>${(
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <title>{props.title} · Hyperchat</title>
        <link rel="icon" href={staticUrl("favicon.svg")} type="image/svg+xml" />
        <link rel="stylesheet" href={staticUrl("app.css")} />
        <script src={staticUrl("htmx.min.js")} defer></script>
        <script src={staticUrl("ws.js")} defer></script>
        <script src={staticUrl("sse.js")} defer></script>
        <script src={staticUrl("chat.js")} defer></script>
        {props.head}
      </head>
      <body class={props.wide ? "wide" : undefined} data-me={props.user?.id}>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <a class="brand" href="/">Hyperchat</a>
          {props.user && <SearchBox />}
          {props.user && <UserMenu user={props.user} />}
          {feeds !== "none" && <span id="status" class="status" aria-live="polite"></span>}
        </header>
        {feeds !== "none" && <FeedsLive rooms={feeds === "rooms"} />}
        {props.user && <Notices>{props.notice}</Notices>}
        {props.children}
      </body>
    </html>
  )}`;
}

function UserMenu(props: { user: User }) {
  return (
    <nav class="user-menu">
      <InboxBadge unread={null} />
      <span class="me" title={`@${props.user.username}`}>
        {props.user.display_name}
        {props.user.role !== "member" && <small class="role">{props.user.role}</small>}
      </span>
      <a href="/account">Account</a>
      {props.user.role === "admin" && <a href="/admin">Admin</a>}
      <form method="post" action="/logout">
        <button class="link" type="submit">Log out</button>
      </form>
    </nav>
  );
}

/**
 * The live connection of a page without a room: the person's inbox badge and notices (and
 * room counts with `rooms`), over a WebSocket; static/chat.js switches it to the event
 * stream in `data-sse` when the person chose SSE or the WebSocket cannot open.
 */
function FeedsLive(props: { rooms: boolean }) {
  const query = props.rooms ? "?rooms=1" : "";
  return (
    <div
      id="feeds"
      hx-ext="ws"
      ws-connect={`/feeds/live${query}`}
      data-sse={`/feeds/events${query}`}
      hidden
    >
    </div>
  );
}

/** A visible error line for a form; renders nothing without a message. */
export function FormError(props: { message?: string | null; id?: string }) {
  return props.message
    ? <p class="form-error" id={props.id} role="alert">{props.message}</p>
    : <p class="form-error" id={props.id} hidden></p>;
}
