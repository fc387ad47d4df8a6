import type { Conversation, MentionItem } from "../db/inbox.ts";
import type { User } from "../db/schema.ts";
import { excerpt } from "./inbox_live.tsx";
import { Layout } from "./layout.tsx";
import { Time } from "./message.tsx";

function ConversationRow(props: { c: Conversation }) {
  const c = props.c;
  return (
    <li class={c.unread ? "unread-row" : undefined}>
      <a href={`/dm/${c.username}`}>{c.display_name}</a>
      {c.unread > 0 && <span class="unread">{c.unread} unread</span>}
      <p class="excerpt">
        {c.author}: {c.deleted ? <em>message deleted</em> : excerpt(c.body)}
      </p>
      <Time at={c.created_at} />
    </li>
  );
}

function MentionRow(props: { m: MentionItem }) {
  const m = props.m;
  return (
    <li class={m.unread ? "unread-row" : undefined}>
      <a href={`/rooms/${m.room_slug}/messages/${m.message_id}`}>
        {m.author} in #{m.room_name}
      </a>
      {m.unread && <span class="unread">new</span>}
      <p class="excerpt">{excerpt(m.body, 140)}</p>
      <Time at={m.created_at} />
    </li>
  );
}

/** The inbox: direct conversations and mentions, newest first. */
export function InboxPage(
  props: { user: User; conversations: Conversation[]; mentions: MentionItem[] },
) {
  return (
    <Layout title="Inbox" user={props.user}>
      <main id="main" class="index inbox">
        <h1>Inbox</h1>
        <p class="hint">
          Send a private message from any room with <code>/pm name message</code>.
        </p>
        {
          /* static/chat.js asks the browser only after this click (and drops the button when
            notifications are already on, off or not supported). */
        }
        <p class="notify">
          <button id="notify" type="button" class="link">
            Notify me on this computer of direct messages and mentions
          </button>
        </p>
        <section aria-labelledby="dm-head">
          <h2 id="dm-head">Direct messages</h2>
          {props.conversations.length
            ? (
              <ul class="conversations">
                {props.conversations.map((c) => <ConversationRow c={c} />)}
              </ul>
            )
            : <p class="empty">No direct messages yet.</p>}
        </section>
        <section aria-labelledby="mention-head">
          <h2 id="mention-head">Mentions</h2>
          {props.mentions.length
            ? <ul class="mentions">{props.mentions.map((m) => <MentionRow m={m} />)}</ul>
            : <p class="empty">Nobody has mentioned you yet.</p>}
        </section>
      </main>
    </Layout>
  );
}
