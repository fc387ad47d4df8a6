/**
 * Parser for the message-body markdown subset, shared by the store (who a body mentions,
 * db/body_rules.ts) and the page. It only produces a token tree; turning tokens into markup
 * is left to views/format.tsx so that every piece of user text reaches the page through JSX
 * escaping.
 */

/** An inline token; `text` is always raw user text, never markup. */
export type Inline =
  | { kind: "text"; text: string }
  | { kind: "br" }
  | { kind: "code"; text: string }
  | { kind: "link"; href: string; text: string }
  | { kind: "mention"; name: string }
  | { kind: "strong" | "em"; children: Inline[] };

/** A block: a fenced code block or a run of formatted text. */
export type Block = { kind: "pre"; text: string } | { kind: "text"; children: Inline[] };

const OPEN_FENCE = /^\s*```[\w+#.-]*\s*$/;
const CLOSE_FENCE = /^\s*```\s*$/;

// One alternation so the leftmost construct wins; that keeps the result
// predictable when constructs overlap (e.g. `*` inside a URL or code span).
// Emphasis needs a non-alphanumeric char on both outer sides, so `2*3*4` and
// snake_case_names stay literal.
const INLINE = new RegExp(
  [
    String.raw`(?<!\x60)(?<ticks>\x60{1,3})` +
    String.raw`(?<code>[^\x60\n](?:[^\n]*?[^\x60\n])?)\k<ticks>(?!\x60)`,
    String.raw`\[(?<label>[^\]\n]+)\]\((?<target>https?:\/\/[^\s()<>"'\x60]+)\)`,
    String.raw`(?<url>https?:\/\/[^\s<>"'\x60]+)`,
    String.raw`(?<![A-Za-z0-9*])\*\*(?!\s)` +
    String.raw`(?<strong>(?:[^*\n]|\*(?!\*))+?)(?<!\s)\*\*(?![A-Za-z0-9*])`,
    String.raw`(?<![A-Za-z0-9*])\*(?![\s*])(?<star>[^*\n]+?)(?<!\s)\*(?![A-Za-z0-9*])`,
    String.raw`(?<![A-Za-z0-9_])_(?![\s_])(?<under>[^_\n]+?)(?<!\s)_(?![A-Za-z0-9_])`,
    String.raw`(?<!\w)@(?<mention>[A-Za-z0-9_.-]{2,32})(?![A-Za-z0-9_.-])`,
    String.raw`(?<br>\n)`,
  ].join("|"),
  "g",
);

/** Splits a body into fenced code blocks and formatted text blocks. */
export function parseBody(body: string): Block[] {
  const blocks: Block[] = [];
  let text: string[] = [];
  let code: string[] | null = null;
  for (const line of body.replace(/\r\n?/g, "\n").split("\n")) {
    if (code === null && OPEN_FENCE.test(line)) {
      if (text.length) blocks.push({ kind: "text", children: parseInline(text.join("\n")) });
      [text, code] = [[], []];
    } else if (code !== null && CLOSE_FENCE.test(line)) {
      blocks.push({ kind: "pre", text: code.join("\n") });
      code = null;
    } else (code ?? text).push(line);
  }
  if (code !== null) blocks.push({ kind: "pre", text: code.join("\n") });
  if (text.length) blocks.push({ kind: "text", children: parseInline(text.join("\n")) });
  return blocks;
}

/** Parses one run of text (no fences) into inline tokens. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    pushText(out, text.slice(last, m.index));
    for (const token of tokenFor(m.groups!, m[0])) {
      if (token.kind === "text") pushText(out, token.text);
      else out.push(token);
    }
    last = m.index + m[0].length;
  }
  pushText(out, text.slice(last));
  return out;
}

function tokenFor(g: Record<string, string | undefined>, whole: string): Inline[] {
  if (g.code !== undefined) return [{ kind: "code", text: g.code }];
  if (g.label !== undefined) return [{ kind: "link", href: g.target!, text: g.label }];
  if (g.url !== undefined) return urlTokens(g.url);
  if (g.strong !== undefined) return [{ kind: "strong", children: parseInline(g.strong) }];
  const em = g.star ?? g.under;
  if (em !== undefined) return [{ kind: "em", children: parseInline(em) }];
  if (g.mention !== undefined) return mentionTokens(g.mention, whole);
  return [{ kind: "br" }];
}

function urlTokens(url: string): Inline[] {
  const end = urlEnd(url);
  const href = url.slice(0, end);
  if (/^https?:\/\/$/.test(href)) return [{ kind: "text", text: url }];
  return [{ kind: "link", href, text: href }, { kind: "text", text: url.slice(end) }];
}

// Sentence punctuation after a pasted URL almost never belongs to it; a
// closing paren only does when the URL itself opened one (wiki-style links).
function urlEnd(url: string): number {
  let end = url.length;
  let unmatched = count(url, ")") - count(url, "(");
  for (; end > 0; end--) {
    const ch = url[end - 1];
    if (ch === ")" && unmatched > 0) unmatched--;
    else if (!".,!?;:".includes(ch)) break;
  }
  return end;
}

// "ping @bob." should mention bob, not "bob.".
function mentionTokens(raw: string, whole: string): Inline[] {
  const name = raw.replace(/\.+$/, "");
  if (name.length < 2) return [{ kind: "text", text: whole }];
  return [{ kind: "mention", name }, { kind: "text", text: raw.slice(name.length) }];
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

// Merging neighbours keeps the tree (and tests over it) free of empty or split text runs.
function pushText(out: Inline[], text: string): void {
  const prev = out.at(-1);
  if (prev?.kind === "text") prev.text += text;
  else if (text) out.push({ kind: "text", text });
}
