// Where the line goes (firstUnread) is decided with the unread counts, in db/unread.ts.

/** The "New messages" line; static/chat.js scrolls to it when the room opens. */
export function UnreadDivider() {
  return <div id="unread" class="unread-divider" role="separator">New messages</div>;
}
