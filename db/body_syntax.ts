// @ts-types="@types/markdown-it"
import MarkdownIt, { type StateInline } from "markdown-it";
import { toBlocks } from "./body_tree.ts";

/**
 * Message bodies are CommonMark (markdown-it) plus our @mentions, read into a small tree of
 * our own. The store (who a body mentions, db/body_rules.ts) and the page (views/format.tsx)
 * both read that tree; markdown-it's own HTML renderer is never used, so every piece of user
 * text reaches the page through JSX escaping.
 */

/** An inline node; `text` is always raw user text, never markup. */
export type Inline =
  | { kind: "text"; text: string }
  | { kind: "br" }
  | { kind: "code"; text: string }
  | { kind: "link"; href: string; children: Inline[] }
  | { kind: "mention"; name: string }
  | { kind: "strong" | "em" | "del"; children: Inline[] };

/** A block node; a `bare` paragraph is a tight list item's text, drawn without <p>. */
export type Block =
  | { kind: "paragraph"; bare: boolean; children: Inline[] }
  | { kind: "heading"; level: number; children: Inline[] }
  | { kind: "code"; lang: string | null; text: string }
  | { kind: "quote"; children: Block[] }
  | { kind: "list"; ordered: boolean; start: number; items: Block[][] }
  | { kind: "rule" };

// Deep nesting is only ever hostile; markdown-it stops nesting here (the rest stays text or
// is dropped), which also bounds the recursion of everything that walks the tree.
const MAX_NESTING = 40;
const SAFE_HREF = /^(?:https?:\/\/[^\s/?#]|mailto:[^\s])/i;
const MENTION = /[A-Za-z0-9_.-]{2,32}(?![A-Za-z0-9_.-])/y;

/** True for the only link targets a message may carry: http(s) and mailto. */
export function isSafeHref(href: string): boolean {
  return SAFE_HREF.test(href);
}

// maxNesting is a real markdown-it option that its type definitions leave out.
const options = { html: false, linkify: true, maxNesting: MAX_NESTING };
const md = new MarkdownIt("default", options)
  // No images (a message must not load third-party pixels), no tables, and no reference
  // definitions (a line that defines one would vanish from the message).
  .disable(["image", "table", "reference", "html_block", "html_inline"]);
md.validateLink = isSafeHref;
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });
md.linkify.add("ftp:", null).add("//", null);
md.inline.ruler.push("mention", mention);

/** Reads a body into blocks; the same tree for the page and for who it mentions. */
export function parseBody(body: string): Block[] {
  const blocks = toBlocks(md.parse(body, {}));
  return showsNothing(blocks) ? asTyped(body) : blocks;
}

/** Every block of a tree, at any depth, outer ones first. */
export function* blocksOf(blocks: Block[]): Generator<Block> {
  for (const block of blocks) {
    yield block;
    if (block.kind === "quote") yield* blocksOf(block.children);
    if (block.kind === "list") { for (const item of block.items) yield* blocksOf(item); }
  }
}

/** Every inline node of a tree, at any depth: what rules such as mentions read. */
export function* inlinesOf(blocks: Block[]): Generator<Inline> {
  for (const block of blocksOf(blocks)) {
    if (block.kind === "paragraph" || block.kind === "heading") yield* walk(block.children);
  }
}

// A message of only "#", ">", "-" or "```" would be an empty heading, quote, list or code
// block: an empty bubble. Such a message is shown as typed instead.
function showsNothing(blocks: Block[]): boolean {
  for (const b of blocksOf(blocks)) {
    if (b.kind === "rule" || (b.kind === "code" && b.text.trim())) return false;
  }
  for (const n of inlinesOf(blocks)) {
    if (n.kind !== "br" && (n.kind !== "text" || n.text.trim())) return false;
  }
  return true;
}

function asTyped(body: string): Block[] {
  const lines = body.trim().split(/\r\n?|\n/);
  const children = lines.flatMap((text, i): Inline[] =>
    i ? [{ kind: "br" }, { kind: "text", text }] : [{ kind: "text", text }]
  );
  return [{ kind: "paragraph", bare: false, children }];
}

function* walk(nodes: Inline[]): Generator<Inline> {
  for (const node of nodes) {
    yield node;
    if ("children" in node) yield* walk(node.children);
  }
}

// "ping @bob." mentions bob; "a@b.example" and "@x" mention no one.
function mention(state: StateInline, silent: boolean): boolean {
  const at = state.pos;
  if (state.src[at] !== "@" || /\w/.test(state.src[at - 1] ?? "")) return false;
  MENTION.lastIndex = at + 1;
  const name = MENTION.exec(state.src)?.[0].replace(/\.+$/, "");
  if (!name || name.length < 2) return false;
  if (!silent) state.push("mention", "", 0).meta = { name };
  state.pos = at + 1 + name.length;
  return true;
}
