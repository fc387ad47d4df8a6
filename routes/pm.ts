import { sendDirect } from "../db/direct.ts";
import { bodyProblem, clientIdProblem } from "../db/messages.ts";
import { ClientIdReused } from "../db/send.ts";
import type { User } from "../db/schema.ts";
import { PERSON_NAME, textProblem } from "../db/text.ts";
import { findUserByName } from "../db/users.ts";
import type { Deps } from "./env.ts";
import type { Submitted } from "./submit.ts";

const PM = /^\/pm(?:\s+|$)/;

/** `/pm name text` split into its parts; null when the body is not a /pm command. */
export function parsePm(body: string): { name: string; text: string } | null {
  const start = body.match(PM);
  if (!start) return null;
  const rest = body.slice(start[0].length);
  const name = rest.match(/^@?(\S*)/)![1];
  return { name, text: rest.slice(rest.indexOf(name) + name.length).trimStart() };
}

/** Why the recipient cannot get a private message from `from`, or null. */
export function recipientProblem(
  from: User,
  { name, to }: { name: string; to: User | null },
): string | null {
  if (!name) return "Say who the message is for: /pm name message";
  const unreadable = textProblem(name, PERSON_NAME);
  if (unreadable) return unreadable;
  if (!to || to.deactivated_at) return `There is no one called @${name}`;
  if (to.id === from.id) return "You cannot send a private message to yourself";
  return null;
}

/** The person a typed name belongs to; null when the name cannot be anyone's (textProblem). */
export async function findRecipient(deps: Deps, name: string): Promise<User | null> {
  return textProblem(name, PERSON_NAME) ? null : await findUserByName(deps.db, name);
}

/**
 * Sends a private message to the named person's direct conversation, from any composer
 * (and from the conversation page itself). The sender gets a delivery line, not the room.
 */
export async function submitPrivate(
  deps: Deps,
  input: { user: User; name: string; text: string; clientId: string | null },
): Promise<Submitted> {
  const to = await findRecipient(deps, input.name);
  const problem = recipientProblem(input.user, { name: input.name, to }) ??
    bodyProblem(input.text) ?? clientIdProblem(input.clientId);
  if (problem || !to) return { ok: false, status: 422, error: problem ?? "No recipient" };
  if (!deps.limiter.take(input.user.id)) {
    return { ok: false, status: 429, error: "Slow down: you are sending messages too fast" };
  }
  const message = await sendDirect(deps.db, {
    from: input.user,
    to,
    body: input.text,
    clientId: input.clientId,
  });
  if (message instanceof ClientIdReused) return { ok: false, status: 422, error: message.reason };
  if (!message) return { ok: false, status: 403, error: `You cannot message @${to.username}` };
  return { ok: true, message, delivered: { to: to.username, body: input.text } };
}
