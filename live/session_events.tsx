import type { ChatEvent, SessionEnd } from "../db/events.ts";
import { liveSessions } from "../db/sessions.ts";
import { EndedNotice } from "../views/ended_notice.tsx";
import { ACCESS_CLOSED, type Watching } from "./access_events.tsx";
import type { Tracked } from "./connections.ts";
import { log } from "../log.ts";

type SessionEvent = Extract<ChatEvent, { k: "session" }>;

/** What the page says when its session ended elsewhere. */
export const SESSION_REASONS: Record<SessionEnd, string> = {
  signout: "You signed out",
  password: "Your password was changed: sign in again",
};

function endedBy(event: SessionEvent) {
  return (session: string | null) =>
    event.s !== undefined ? session === event.s : session !== event.keep;
}

/** Tells each connection why, then closes it for good (4403: the page does not retry). */
export function endConnections(connections: Tracked[], why: SessionEnd) {
  const reason = SESSION_REASONS[why] ?? SESSION_REASONS.signout;
  const notice = String(<EndedNotice reason={reason} link="signin" />);
  for (const connection of connections) {
    connection.notice?.(notice);
    connection.close(ACCESS_CLOSED, reason);
  }
}

/** Connections that opened while the event was on its way still carry an ended session. */
async function resweep(deps: Watching, event: SessionEvent) {
  const found = deps.hub.ofSessions(event.u, endedBy(event));
  if (!found.length) return;
  const alive = await liveSessions(deps.db, found.flatMap((c) => c.session ?? []));
  endConnections(found.filter((c) => !alive.has(c.session ?? "")), event.why);
}

/**
 * Every instance closes the live connections of sessions that ended (`session` events, sent
 * by db/sessions.ts with the deletion): signing out ends that session's connections, a
 * password change every other one. A connection accepted just before the deletion committed
 * can register just after this ran, so a second sweep follows `resweepMs` later.
 */
export function sessionEnded(deps: Watching, event: SessionEvent, resweepMs = 1000) {
  endConnections(deps.hub.ofSessions(event.u, endedBy(event)), event.why);
  // Tracked like a connection so shutdown cancels it.
  const pending = {
    timer: setTimeout(() => {
      deps.hub.untrack(pending);
      resweep(deps, event).catch((error) => log.error("Session re-sweep failed", { error }));
    }, resweepMs),
    close: () => (clearTimeout(pending.timer), deps.hub.untrack(pending)),
  };
  deps.hub.track(pending);
}
