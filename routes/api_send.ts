// A script's send to /rooms/:slug/messages (curl, a bot): a form or JSON body in, a short
// answer out (201 with the message id, as JSON or one line of text), never the HTML a page
// gets. routes/room_messages.tsx hands such requests here (see isApiSend).
import type { Context } from "hono";
import type { Deps } from "./env.ts";
import { bearerOnly } from "./guards.ts";
import type { RoomEnv } from "./room.tsx";
import { submitMessage } from "./submit.ts";

/** True when the caller reads JSON (asked for it, or sent it without asking for text). */
function wantsJson(c: Context): boolean {
  const accept = c.req.header("accept") ?? "";
  if (accept.includes("application/json")) return true;
  return isJsonBody(c) && !accept.includes("text/plain");
}

function isJsonBody(c: Context): boolean {
  return (c.req.header("content-type") ?? "").toLowerCase().startsWith("application/json");
}

/**
 * True for a send from a script rather than a page: a JSON body, an Accept of JSON or plain
 * text, or a bearer token without a session cookie. htmx requests are always a page's.
 */
export function isApiSend(c: Context, deps: Deps): boolean {
  if (c.req.header("hx-request")) return false;
  const accept = c.req.header("accept") ?? "";
  if (isJsonBody(c) || /application\/json|text\/plain/.test(accept)) return true;
  return bearerOnly(deps.config, c.req.raw) !== null;
}

/** The text and client_id of a form or JSON body, or why it cannot be read. */
async function readSend(c: Context): Promise<{ body: string; clientId: string | null } | string> {
  const fields = isJsonBody(c)
    ? await c.req.json().catch(() => null) as Record<string, unknown> | null
    : await c.req.parseBody();
  if (!fields || typeof fields !== "object") return "The body must be a JSON object";
  const { body, client_id: clientId } = fields;
  if (typeof body !== "string") return 'Send the text as "body" (a string)';
  if (clientId !== undefined && clientId !== "" && typeof clientId !== "string") {
    return '"client_id" must be a string';
  }
  return { body, clientId: clientId ? clientId as string : null };
}

/** Sends and answers as a script expects: 201 with the id, or the status with the reason. */
export async function apiSend(c: Context<RoomEnv>, deps: Deps): Promise<Response> {
  c.header("Vary", "Accept");
  const json = wantsJson(c);
  const input = await readSend(c);
  if (typeof input === "string") return json ? c.json({ error: input }, 400) : c.text(input, 400);
  const room = c.get("room");
  const sent = await submitMessage(deps, { user: c.get("user"), room, ...input });
  if (!sent.ok) {
    return json ? c.json({ error: sent.error }, sent.status) : c.text(sent.error, sent.status);
  }
  const { id, version } = sent.message;
  if (json) return c.json({ id, version }, 201);
  return c.text(`${id}\n`, 201);
}
