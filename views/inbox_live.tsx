import type { Child } from "hono/jsx";
import type { NoticeData } from "../db/notices.ts";

/** Shortens user text for one line (whole characters, never half a surrogate pair). */
export function excerpt(body: string, max = 80): string {
  const chars = [...body.replace(/\s+/g, " ").trim()];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

/** The header link to the inbox with the unread count; pushed again whenever it changes. */
export function InboxBadge(props: { unread: number | null; oob?: boolean }) {
  const n = props.unread ?? 0;
  return (
    <a
      id="inbox-badge"
      class="inbox-link"
      href="/inbox"
      hx-swap-oob={props.oob ? "true" : undefined}
      data-unread={props.unread ?? undefined}
      title={n ? `${n} unread` : "Inbox"}
    >
      Inbox{n > 0 && <span class="badge">{n}</span>}
    </a>
  );
}

/** Where ephemeral lines (deliveries, inbox notices) appear on every signed-in page. */
export function Notices(props: { children?: Child }) {
  return <div id="notices" class="notices" aria-live="polite">{props.children}</div>;
}

/** Appends lines to the page's #notices (an out-of-band swap, for pushes and htmx answers). */
export function AppendNotice(props: { children: Child }) {
  return <div id="notices" hx-swap-oob="beforeend">{props.children}</div>;
}

/** The sender's own line after a private message: "to bob: hello". */
export function DeliveryLine(props: { to: string; body: string }) {
  return (
    <p class="notice delivered">
      <a href={`/dm/${props.to}`}>to {props.to}</a>: {excerpt(props.body)}
    </p>
  );
}

/** A short live notice about a message for the person it concerns: "Ana: hello". */
export function InboxNotice(props: { notice: NoticeData }) {
  const n = props.notice;
  const href = n.direct ? `/dm/${n.author_username}` : `/rooms/${n.room_slug}/messages/${n.id}`;
  return (
    <p class="notice incoming" id={`notice-${n.id}`}>
      <a href={href}>
        {n.author}
        {n.direct ? "" : ` in #${n.room_name}`}: {excerpt(n.body)}
      </a>
    </p>
  );
}
