// @ts-types="@types/markdown-it"
import type { Token } from "markdown-it";
import type { Block, Inline } from "./body_syntax.ts";

// markdown-it hands back a flat list of open/close tokens; these two functions fold it into
// the tree of db/body_syntax.ts with an explicit stack (no recursion over user input).
// Closing tokens of paragraphs, headings and lists carry nothing; the kinds switched off there
// (images, tables, raw HTML, reference definitions) never arrive.

type Pending = { kind: "paragraph"; bare: boolean } | { kind: "heading"; level: number };
type Fold = { open: Block[][]; pending: Pending };
type List = Block & { kind: "list" };

const BLOCK_RULES: Record<string, (fold: Fold, here: Block[], t: Token) => void> = {
  inline: (f, here, t) => here.push({ ...f.pending, children: toInlines(t.children ?? []) }),
  paragraph_open: (f, _, t) => f.pending = { kind: "paragraph", bare: t.hidden },
  heading_open: (f, _, t) => f.pending = { kind: "heading", level: Number(t.tag.slice(1)) },
  fence: (_, here, t) => here.push(codeBlock(t.content, t.info)),
  code_block: (_, here, t) => here.push(codeBlock(t.content, "")),
  hr: (_, here) => here.push({ kind: "rule" }),
  blockquote_open: (f, here) => {
    const quote: Block = { kind: "quote", children: [] };
    here.push(quote);
    f.open.push(quote.children);
  },
  bullet_list_open: (_, here, t) => here.push(newList(t)),
  ordered_list_open: (_, here, t) => here.push(newList(t)),
  list_item_open: (f, here) => f.open.push(newItem(here)),
  blockquote_close: (f) => f.open.pop(),
  list_item_close: (f) => f.open.pop(),
};

/** Folds markdown-it's block tokens into our block tree. */
export function toBlocks(tokens: Token[]): Block[] {
  const root: Block[] = [];
  const fold: Fold = { open: [root], pending: { kind: "paragraph", bare: false } };
  for (const t of tokens) BLOCK_RULES[t.type]?.(fold, fold.open.at(-1)!, t);
  return root;
}

function newList(t: Token): List {
  return { kind: "list", ordered: t.tag === "ol", start: listStart(t), items: [] };
}

// An item opens right after its list or its previous item: the list is the last block here.
function newItem(here: Block[]): Block[] {
  const item: Block[] = [];
  (here.at(-1) as List).items.push(item);
  return item;
}

function listStart(t: Token): number {
  return Number(t.attrGet("start") ?? 1);
}

// The language is the info string's first word, kept only when it is a plain token, so it can
// become `class="language-…"`; the closing newline of the block is not content.
function codeBlock(content: string, info: string): Block {
  const word = info.trim().split(/\s+/)[0];
  const lang = /^[A-Za-z0-9_+#.-]{1,32}$/.test(word) ? word.toLowerCase() : null;
  return { kind: "code", lang, text: content.replace(/\n$/, "") };
}

/** Folds one inline token's children into our inline nodes; a link's text holds no mentions. */
export function toInlines(tokens: Token[]): Inline[] {
  const root: Inline[] = [];
  const open: Inline[][] = [root];
  let inLink = 0;
  for (const t of tokens) {
    const here = open.at(-1)!;
    const wrapper = wrapperOf(t);
    if (wrapper) {
      here.push(wrapper);
      open.push(wrapper.children);
      if (wrapper.kind === "link") inLink++;
    } else if (t.nesting === -1) {
      open.pop();
      if (t.type === "link_close") {
        inLink--;
        showAddress(open.at(-1)!.at(-1));
      }
    } else leaf(here, t, inLink > 0);
  }
  return root;
}

// `[](https://…)` would be an invisible link: it shows its address instead.
function showAddress(link: Inline | undefined): void {
  if (link?.kind === "link" && !link.children.length) {
    link.children.push({ kind: "text", text: link.href });
  }
}

function wrapperOf(t: Token): (Inline & { children: Inline[] }) | null {
  if (t.type === "strong_open") return { kind: "strong", children: [] };
  if (t.type === "em_open") return { kind: "em", children: [] };
  if (t.type === "s_open") return { kind: "del", children: [] };
  if (t.type === "link_open") return { kind: "link", href: t.attrGet("href") ?? "", children: [] };
  return null;
}

function leaf(here: Inline[], t: Token, inLink: boolean): void {
  if (t.type === "softbreak" || t.type === "hardbreak") here.push({ kind: "br" });
  else if (t.type === "code_inline") here.push({ kind: "code", text: t.content });
  else if (t.type === "mention" && !inLink) here.push({ kind: "mention", name: t.meta.name });
  else if (t.type === "mention") pushText(here, `@${t.meta.name}`);
  else pushText(here, t.content);
}

// Merging neighbours keeps the tree (and tests over it) free of empty or split text runs.
function pushText(out: Inline[], text: string): void {
  const prev = out.at(-1);
  if (prev?.kind === "text") prev.text += text;
  else if (text) out.push({ kind: "text", text });
}
