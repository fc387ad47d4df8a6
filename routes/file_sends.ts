// A message with files, from a multipart post to /rooms/:slug/messages (routes/room_messages.tsx).
import type { Context } from "hono";
import { MAX_FILES, MAX_NAME, type Upload } from "../db/files.ts";
import { bodyProblem, clientIdProblem } from "../db/messages.ts";
import { mentionedNames } from "../db/body_rules.ts";
import { ClientIdReused } from "../db/send.ts";
import { sendWithFiles } from "../db/send_files.ts";
import { textProblem } from "../db/text.ts";
import { isUnavailable, UNAVAILABLE_REASON } from "../db/unavailable.ts";
import type { Room, User } from "../db/schema.ts";
import type { Deps } from "./env.ts";
import { sizeText, tooLarge } from "./limits.tsx";
import { postRefusal } from "./room_rules.ts";
import type { Submitted } from "./submit.ts";

/** A parsed form (Hono parseBody with `all`): each field a value or, repeated, a list. */
type Form = Record<string, string | File | (string | File)[]>;

/**
 * The files a form carries in its `files` field. A file input left empty still sends a part
 * with no name and no bytes (a form without JavaScript does): that is no file.
 */
export function attachedFiles(form: Form): File[] {
  const values = ([] as (string | File)[]).concat(form.files ?? []);
  return values.filter((v): v is File => v instanceof File && (v.size > 0 || v.name !== ""));
}

/** The 413 for files over FILE_MAX_BYTES together, or null (routes/limits.tsx stops most). */
export function filesTooLarge(
  c: Context,
  deps: Deps,
  files: File[],
): Response | Promise<Response> | null {
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (total <= deps.config.fileMaxBytes) return null;
  const max = sizeText(deps.config.fileMaxBytes);
  return tooLarge(`The files were too large: at most ${max} can be sent with one message`)(c);
}

/** Why these files cannot be sent, or null: how many, empty ones, their names. */
function filesProblem(files: File[]): string | null {
  if (files.length > MAX_FILES) return `At most ${MAX_FILES} files can be sent with one message`;
  for (const file of files) {
    const problem = textProblem(baseName(file.name), { name: "A file name", max: MAX_NAME });
    if (problem) return problem;
    if (!baseName(file.name).trim()) return "Every file needs a name";
    if (file.size === 0) return `${baseName(file.name)} is empty`;
  }
  return null;
}

/** A name without any folder a browser or client put before it. */
function baseName(name: string): string {
  return name.slice(Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\")) + 1);
}

/**
 * Sends a message with files (text optional): the checks of a send (submit.ts) and the files'
 * own, then one transaction (db/send_files.ts). Answers like submitMessage.
 */
export async function submitFiles(
  deps: Deps,
  input: { user: User; room: Room; body: string; clientId: string | null; files: File[] },
): Promise<Submitted> {
  const text = input.body.trim() ? input.body : "";
  if (text.startsWith("/pm ")) {
    return { ok: false, status: 422, error: "Files can be sent in a room, not with /pm" };
  }
  const problem = filesProblem(input.files) ?? (text ? bodyProblem(text) : null) ??
    clientIdProblem(input.clientId);
  if (problem) return { ok: false, status: 422, error: problem };
  if (!deps.limiter.take(input.user.id)) {
    return { ok: false, status: 429, error: "Slow down: you are sending messages too fast" };
  }
  const uploads: Upload[] = await Promise.all(input.files.map(async (file) => ({
    name: baseName(file.name),
    bytes: new Uint8Array(await file.arrayBuffer()),
  })));
  try {
    const message = await sendWithFiles(deps.db, {
      roomId: input.room.id,
      authorId: input.user.id,
      body: text,
      clientId: input.clientId,
      mentions: mentionedNames(text),
    }, uploads);
    if (message instanceof ClientIdReused) return { ok: false, status: 422, error: message.reason };
    if (!message) return { ok: false, status: 403, error: postRefusal(input.room, input.user) };
    return { ok: true, message };
  } catch (error) {
    if (!isUnavailable(error)) throw error;
    return { ok: false, status: 503, error: UNAVAILABLE_REASON };
  }
}
