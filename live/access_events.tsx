import { findRoomById } from "../db/admin_rooms.ts";
import type { ChatEvent } from "../db/events.ts";
import { isMember } from "../db/rooms.ts";
import { roomForReader } from "../db/read_rule.ts";
import { EndedNotice } from "../views/ended_notice.tsx";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { Tracked } from "./connections.ts";
import type { Hub } from "./hub.ts";
import { log } from "../log.ts";

/** What access and session watching need: the database, and this instance's connections. */
export interface Watching {
  db: Kysely<Database>;
  hub: Hub;
}

/** Close code for a stream whose reader lost access (4xxx: the htmx ws extension won't retry). */
export const ACCESS_CLOSED = 4403;

type AccessEvent = Extract<ChatEvent, { k: "access" }>;

function endAll(connections: Tracked[], reason: string, link?: "rooms") {
  const notice = String(<EndedNotice reason={reason} link={link} />);
  for (const connection of connections) {
    connection.notice?.(notice);
    connection.close(ACCESS_CLOSED, reason);
  }
}

/** Every live connection of a person here: their page connections, rooms or not. */
function allOf(deps: Watching, userId: string): Tracked[] {
  return deps.hub.ofSessions(userId, () => true);
}

async function removalReason(deps: Watching, userId: string, roomId: string) {
  const room = await findRoomById(deps.db, roomId);
  if (!room) return "This room was deleted";
  if (await isMember(deps.db, roomId, userId)) return `You can no longer read #${room.slug}`;
  return `You were removed from #${room.slug}`;
}

/** True while the event's change still holds (a later re-invite or reactivation undoes it). */
async function stillRefused(deps: Watching, event: AccessEvent): Promise<boolean> {
  const user = await deps.db.selectFrom("users").select("deactivated_at").where("id", "=", event.u)
    .executeTakeFirst();
  if (!user || user.deactivated_at) return true;
  if (event.r === undefined) return false;
  const found = await roomForReader(deps.db, { id: event.r }, event.u);
  return !found || found.refusal !== null;
}

function resweep(deps: Watching, event: AccessEvent) {
  const open = event.r === undefined
    ? allOf(deps, event.u)
    : deps.hub.subscribersOf(event.u, event.r);
  if (!open.length) return;
  stillRefused(deps, event).then((refused) => refused && closeNow(deps, event))
    .catch((error) => log.error("Access re-sweep failed", { error }));
}

function closeNow(deps: Watching, event: AccessEvent) {
  const subs = deps.hub.detachUser(event.u, event.r);
  if (event.r === undefined) return endAll(allOf(deps, event.u), "Your account was deactivated");
  if (!subs.length) return;
  removalReason(deps, event.u, event.r).then(
    (reason) => endAll(subs, reason, "rooms"),
    () => endAll(subs, "You can no longer read this room", "rooms"),
  );
}

/**
 * Every instance closes a user's live connections when their access changes (`access`
 * events, sent by db/admin_users.ts, db/admin_rooms.ts, db/room_members.ts and
 * db/settings.ts): subscribers are detached at once so nothing more reaches them, then told
 * why and closed. A connection that passed enterRoom just before the change commits can
 * subscribe just after this ran, so a second sweep follows `resweepMs` later while the
 * change still holds.
 */
export function accessChanged(deps: Watching, event: AccessEvent, resweepMs = 1000) {
  closeNow(deps, event);
  // Tracked like a connection so shutdown cancels it.
  const pending = {
    timer: setTimeout(() => {
      deps.hub.untrack(pending);
      resweep(deps, event);
    }, resweepMs),
    close: () => (clearTimeout(pending.timer), deps.hub.untrack(pending)),
  };
  deps.hub.track(pending);
}
