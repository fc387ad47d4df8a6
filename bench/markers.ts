// Message bodies: the 64-byte body with its send index and time, and finding it in frames.

/** Every body is exactly this many bytes. */
export const BODY_BYTES = 64;

/** A 64-byte body carrying the send index and the send time: `bm<index>t<µs>....`. */
export function make_body(index: number, sent_us: number): string {
  return `bm${index}t${sent_us}.`.padEnd(BODY_BYTES, ".");
}

function digits_at(text: string, from: number): { value: number; end: number } {
  let value = 0;
  let end = from;
  for (; end < text.length; end++) {
    const code = text.charCodeAt(end);
    if (code < 48 || code > 57) break;
    value = value * 10 + code - 48;
  }
  return { value, end };
}

/**
 * Calls `found` once for every message marker in a pushed frame (HTML, SSE or raw JSON).
 * A frame can show one body more than once (e.g. also in an edit form); that is one
 * delivery, so repeats within a frame are skipped.
 */
export function scan_markers(text: string, found: (index: number, sent_us: number) => void) {
  let first = -1;
  let others: Set<number> | null = null;
  let at = text.indexOf("bm");
  while (at !== -1) {
    const index = digits_at(text, at + 2);
    if (index.end > at + 2 && text.charCodeAt(index.end) === 116 /* t */) {
      const sent = digits_at(text, index.end + 1);
      if (sent.end > index.end + 1 && text.charCodeAt(sent.end) === 46 /* . */) {
        const i = index.value;
        if (first === -1) (first = i, found(i, sent.value));
        else if (i !== first && !(others ??= new Set()).has(i)) {
          (others.add(i), found(i, sent.value));
        }
        at = text.indexOf("bm", sent.end);
        continue;
      }
    }
    at = text.indexOf("bm", at + 2);
  }
}
