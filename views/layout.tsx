import { html } from "hono/html";
import type { Child } from "hono/jsx";
import type { User } from "../db/schema.ts";
import { InboxBadge, InboxLive, Notices } from "./inbox_live.tsx";
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
  },
) {
  return html`<!DOCTYPE html>${(
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <title>{props.title} · Hyperchat</title>
        <link rel="stylesheet" href="/static/app.css" />
        <script src="/static/htmx.min.js" defer></script>
        <script src="/static/ws.js" defer></script>
        <script src="/static/sse.js" defer></script>
        <script src="/static/chat.js" defer></script>
        {props.head}
      </head>
      <body class={props.wide ? "wide" : undefined}>
        <header class="top">
          <a class="brand" href="/">Hyperchat</a>
          {props.user && <SearchBox />}
          {props.user && <UserMenu user={props.user} />}
        </header>
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
      <InboxLive />
      <span class="me" title={`@${props.user.username}`}>
        {props.user.display_name}
        {props.user.role !== "member" && <small class="role">{props.user.role}</small>}
      </span>
      {props.user.role === "admin" && <a href="/admin">Admin</a>}
      <form method="post" action="/logout">
        <button class="link" type="submit">Log out</button>
      </form>
    </nav>
  );
}

/** A visible error line for a form; renders nothing without a message. */
export function FormError(props: { message?: string | null; id?: string }) {
  return props.message
    ? <p class="form-error" id={props.id} role="alert">{props.message}</p>
    : <p class="form-error" id={props.id} hidden></p>;
}
