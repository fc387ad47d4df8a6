import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { TooLargeNotice, TooLargePage } from "../views/too_large.tsx";

/**
 * The largest request body, in bytes. The biggest legitimate form is a 4000-character message
 * (db/messages.ts MAX_BODY): at 4 UTF-8 bytes a character, percent-encoded, that is 48 KB.
 */
export const MAX_REQUEST_BODY = 64 * 1024;

const REASON = `The form was too large: at most ${MAX_REQUEST_BODY / 1024} KB can be sent at once`;

/**
 * Refuses a body over the limit before it is read: at once on its Content-Length, and while
 * streaming when it has none (chunked), so no request ever holds more than the limit.
 */
export function limitBodies() {
  return bodyLimit({ maxSize: MAX_REQUEST_BODY, onError: tooLarge });
}

function tooLarge(c: Context) {
  if (!c.req.header("hx-request")) return c.html(<TooLargePage reason={REASON} />, 413);
  // htmx swaps 413 (views/layout.tsx): only the notice, out of band; the form keeps its text.
  c.header("HX-Reswap", "none");
  return c.html(<TooLargeNotice reason={REASON} />, 413);
}
