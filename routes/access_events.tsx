import { findRoomById } from "../db/admin_rooms.ts";
import { isMember } from "../db/rooms.ts";
import type { Deps } from "./env.ts";
import type { Subscriber } from "./hub.ts";
import { EndedNotice } from "../views/ended_notice.tsx";

/** Close code for a stream whose reader lost access (4xxx: the htmx ws extension won't retry). */
export const ACCESS_CLOSED = 4403;

function endAll(subs: Subscriber[], reason: string) {
  for (const sub of subs) {
    sub.notice(String(<EndedNotice reason={reason} />));
    sub.close(ACCESS_CLOSED, reason);
  }
}

async function removalReason(deps: Deps, userId: string, roomId: string) {
  const room = await findRoomById(deps.db, roomId);
  if (!room) return "This room was deleted";
  if (await isMember(deps.db, roomId, userId)) return `You can no longer read #${room.slug}`;
  return `You were removed from #${room.slug}`;
}

/**
 * Every instance closes a user's live connections when their access changes (`access`
 * events, sent by db/admin_users.ts, db/admin_rooms.ts and db/room_members.ts): subscribers
 * are detached at once so nothing more reaches them, then told why and closed.
 */
export function watchAccess(deps: Deps) {
  deps.fanout.on("access", (event) => {
    const subs = deps.hub.detachUser(event.u, event.r);
    if (event.r === undefined) {
      const reason = "Your account was deactivated";
      endAll(subs, reason);
      deps.hub.closeUser(event.u, ACCESS_CLOSED, reason);
      return;
    }
    if (!subs.length) return;
    removalReason(deps, event.u, event.r).then(
      (reason) => endAll(subs, reason),
      () => endAll(subs, "You can no longer read this room"),
    );
  });
}
