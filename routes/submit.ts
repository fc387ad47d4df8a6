import { bodyProblem, clientIdProblem } from "../db/messages.ts";
import { ClientIdReused } from "../db/send.ts";
import { isUnavailable, UNAVAILABLE_REASON } from "../db/unavailable.ts";
import type { Message, Room, User } from "../db/schema.ts";
import { findRoom } from "../db/rooms.ts";
import { mentionedNames } from "../db/body_rules.ts";
import type { Deps } from "./env.ts";
import { parsePm, submitPrivate } from "./pm.ts";
import { postRefusal } from "./room_rules.ts";

/** The outcome of sending, with a reason a person can read when it failed. */
export type Submitted =
  // delivered: a private message (/pm) went to someone else's conversation; tell the sender.
  | { ok: true; message: Message; delivered?: { to: string; body: string } }
  | { ok: false; status: 403 | 422 | 429 | 503; error: string };

/**
 * Sends a message from any path (form post, htmx, WebSocket frame): validates, applies the
 * per-person rate limit, then stores. Membership is re-checked inside the send itself.
 * A room message is handed to the room's batcher synchronously, before the first await, so
 * messages are stored in the order this is called (the WebSocket route relies on it).
 */
export function submitMessage(
  deps: Deps,
  input: { user: User; room: Room; body: string; clientId: string | null },
): Promise<Submitted> {
  // While the database cannot be reached, a send is refused with a reason, never lost quietly.
  return store(deps, input).catch((error) => {
    if (!isUnavailable(error)) throw error;
    return { ok: false, status: 503, error: UNAVAILABLE_REASON };
  });
}

async function store(
  deps: Deps,
  input: { user: User; room: Room; body: string; clientId: string | null },
): Promise<Submitted> {
  const pm = parsePm(input.body);
  if (pm) return await submitPrivate(deps, { user: input.user, clientId: input.clientId, ...pm });
  const problem = bodyProblem(input.body) ?? clientIdProblem(input.clientId);
  if (problem) return { ok: false, status: 422, error: problem };
  if (!deps.limiter.take(input.user.id)) {
    return { ok: false, status: 429, error: "Slow down: you are sending messages too fast" };
  }
  const message = await deps.sends.send({
    roomId: input.room.id,
    authorId: input.user.id,
    body: input.body,
    clientId: input.clientId,
    mentions: mentionedNames(input.body),
  });
  if (message instanceof ClientIdReused) return { ok: false, status: 422, error: message.reason };
  if (!message) {
    // The room may have changed since the socket opened: explain with its current state.
    const room = await findRoom(deps.db, input.room.slug) ?? input.room;
    return { ok: false, status: 403, error: postRefusal(room, input.user) };
  }
  return { ok: true, message };
}
