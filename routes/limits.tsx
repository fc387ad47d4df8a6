import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { TooLargeNotice, TooLargePage } from "../views/too_large.tsx";

/**
 * The largest request body, in bytes. The biggest legitimate form is a 4000-character message
 * (db/messages.ts MAX_BODY): at 4 UTF-8 bytes a character, percent-encoded, that is 48 KB.
 */
export const MAX_REQUEST_BODY = 64 * 1024;

const REASON = `The form was too large: at most ${MAX_REQUEST_BODY / 1024} KB can be sent at once`;

/** A message with files: a multipart post to a room's messages (routes/room_files.tsx). */
const UPLOAD_PATH = /^\/rooms\/[^/]+\/messages\/?$/;

/** True for a request that may carry files, and so gets the larger limit. */
function isUpload(c: Context): boolean {
  return c.req.method === "POST" && UPLOAD_PATH.test(c.req.path) &&
    /^multipart\/form-data/i.test(c.req.header("content-type") ?? "");
}

/** Whole megabytes when it is, else KB: how a limit is said. */
export function sizeText(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? `${mb} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * Refuses a body over the limit before it is read: at once on its Content-Length, and while
 * streaming when it has none (chunked), so no request ever holds more than the limit. A
 * message with files may hold `fileMaxBytes` of them, plus a form's worth of text.
 */
export function limitBodies(fileMaxBytes: number) {
  const forms = bodyLimit({ maxSize: MAX_REQUEST_BODY, onError: tooLarge(REASON) });
  const filesReason = `The files were too large: at most ${
    sizeText(fileMaxBytes)
  } can be sent with one message`;
  const uploads = bodyLimit({
    maxSize: fileMaxBytes + MAX_REQUEST_BODY,
    onError: tooLarge(filesReason),
  });
  return createMiddleware((c, next) => (isUpload(c) ? uploads : forms)(c, next));
}

/** The 413 answer with its reason: a page without JavaScript, a notice line for htmx. */
export function tooLarge(reason: string) {
  return (c: Context) => {
    if (!c.req.header("hx-request")) return c.html(<TooLargePage reason={reason} />, 413);
    // htmx swaps 413 (views/layout.tsx): only the notice, out of band; the form keeps its text.
    c.header("HX-Reswap", "none");
    return c.html(<TooLargeNotice reason={reason} />, 413);
  };
}
