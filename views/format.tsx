import type { JSX } from "hono/jsx/jsx-runtime";
import { withoutAction } from "../db/body_rules.ts";
import { type Block, type Inline, isSafeHref, parseBody } from "../db/body_syntax.ts";

// User text only ever appears below as a JSX text child or attribute value, so
// hono escapes it; never emit unescaped HTML from here.

const LINK_REL = "noopener noreferrer nofollow";

type Rendered = JSX.Element | string;

/** Renders a message body (minus any `/me ` prefix) as safe, formatted HTML. */
export function FormattedBody(props: { body: string; me?: string }): JSX.Element {
  const me = props.me?.toLowerCase();
  const blocks = parseBody(withoutAction(props.body));
  // A one-paragraph message, the usual chat line, is its text alone, as it always was.
  const only = blocks.length === 1 && blocks[0].kind === "paragraph" ? blocks[0] : null;
  if (only) return <>{renderInlines(only.children, me)}</>;
  return <>{renderBlocks(blocks, me)}</>;
}

function renderBlocks(blocks: Block[], me?: string) {
  return blocks.map((block) => renderBlock(block, me));
}

function renderBlock(block: Block, me?: string) {
  switch (block.kind) {
    case "paragraph":
      if (block.bare) return renderInlines(block.children, me);
      return <p>{renderInlines(block.children, me)}</p>;
    case "heading":
      return (
        <p class="heading">
          <strong>{renderInlines(block.children, me)}</strong>
        </p>
      );
    case "code":
      return <pre>{renderCode(block.text, block.lang)}</pre>;
    case "quote":
      return <blockquote>{renderBlocks(block.children, me)}</blockquote>;
    case "list":
      return renderList(block, me);
    case "rule":
      return <hr />;
  }
}

function renderList(list: Block & { kind: "list" }, me?: string) {
  const items = list.items.map((item) => <li>{renderBlocks(item, me)}</li>);
  if (!list.ordered) return <ul>{items}</ul>;
  return list.start === 1 ? <ol>{items}</ol> : <ol start={list.start}>{items}</ol>;
}

// Separate branches, since an attribute set to undefined still leaves a space in the tag.
function renderCode(text: string, lang: string | null) {
  return lang ? <code class={`language-${lang}`}>{text}</code> : <code>{text}</code>;
}

function renderInlines(nodes: Inline[], me?: string): Rendered[] {
  return nodes.map((node) => renderInline(node, me));
}

function renderInline(node: Inline, me?: string): Rendered {
  switch (node.kind) {
    case "text":
      return node.text;
    case "br":
      return <br />;
    case "code":
      return <code>{node.text}</code>;
    case "link":
      return renderLink(node, me);
    case "mention":
      return renderMention(node.name, me);
    case "strong":
      return <strong>{renderInlines(node.children, me)}</strong>;
    case "em":
      return <em>{renderInlines(node.children, me)}</em>;
    case "del":
      return <del>{renderInlines(node.children, me)}</del>;
  }
}

// The parser already refuses other schemes; checking again here keeps the page safe even if
// a parser change let one through.
function renderLink(link: Inline & { kind: "link" }, me?: string): JSX.Element {
  const text = renderInlines(link.children, me);
  if (!isSafeHref(link.href)) return <>{text}</>;
  return <a href={link.href} rel={LINK_REL} target="_blank">{text}</a>;
}

function renderMention(name: string, me?: string) {
  const cls = name.toLowerCase() === me ? "mention mention-me" : "mention";
  return <span class={cls}>@{name}</span>;
}
