// The one set of rules for text people type: what Postgres cannot store (NUL), what hides or
// reorders what readers see (other control characters, bidi overrides in names), and how long
// it may be. Every entry point checks with `textProblem` before text reaches a query.

// C0 controls and DEL; newline, carriage return and tab are checked separately per field kind.
// deno-lint-ignore no-control-regex
const CONTROL = /[\0-\x08\x0b\x0c\x0e-\x1f\x7f]/;
const LINE_BREAK = /[\r\n]/;
const TAB = /\t/;
// Bidi embeddings, overrides and isolates: in a name they reorder the sidebar around it.
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;

/** How a field is checked: its label in messages, its length in characters, its kind. */
export interface TextRule {
  name: string;
  max: number;
  /** Newlines and tabs allowed (message bodies); names are single-line and bidi-free. */
  multiline?: boolean;
}

/** Room names: shown in every sidebar and room list, so single-line and without bidi overrides. */
export const ROOM_NAME: TextRule = { name: "Room name", max: 64 };

/**
 * A person's name typed to find them (login, invite, /pm, /dm): bounded above the username rule
 * (db/users.ts, 32) so a lookup never meets an oversized or unstorable key.
 */
export const PERSON_NAME: TextRule = { name: "Username", max: 64 };

/** Why a typed value cannot be stored or shown as it is, or null; never copies the value. */
export function textProblem(value: string, rule: TextRule): string | null {
  if (CONTROL.test(value)) return `${rule.name} must not contain control characters`;
  if (!rule.multiline) {
    if (LINE_BREAK.test(value) || TAB.test(value)) {
      return `${rule.name} must be a single line`;
    }
    if (BIDI.test(value)) {
      return `${rule.name} must not contain text-direction override characters`;
    }
  }
  const length = charCount(value);
  if (length > rule.max) return `${rule.name} is too long (${length} of ${rule.max} characters)`;
  return null;
}

/** Length in characters (code points), counted in place: no array of the whole input. */
export function charCount(value: string): number {
  let count = value.length;
  for (let i = 0; i < value.length - 1; i++) {
    if (isPair(value, i)) count--, i++;
  }
  return count;
}

/** The first `max` characters, for echoing a refused value back into its form. */
export function clip(value: string, max: number): string {
  let end = 0;
  for (let n = 0; n < max && end < value.length; n++) end += isPair(value, end) ? 2 : 1;
  return end >= value.length ? value : value.slice(0, end);
}

function isPair(value: string, i: number): boolean {
  const high = value.charCodeAt(i);
  if (high < 0xd800 || high > 0xdbff) return false;
  const low = value.charCodeAt(i + 1);
  return low >= 0xdc00 && low <= 0xdfff;
}
