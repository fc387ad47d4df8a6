import type { MessageView } from "../db/messages.ts";

/**
 * The first message the reader has not seen: after their last read version, by someone
 * else, not deleted. Null on a first visit (nothing read yet) or when all is read.
 */
export function firstUnread(
  messages: MessageView[],
  options: { lastRead: number | null; userId: string },
): string | null {
  const { lastRead, userId } = options;
  if (!lastRead) return null;
  const m = messages.find((m) => m.seq > lastRead && m.author_id !== userId && !m.deleted_at);
  return m?.id ?? null;
}

/** The "New messages" line; static/chat.js scrolls to it when the room opens. */
export function UnreadDivider() {
  return <div id="unread" class="unread-divider" role="separator">New messages</div>;
}
