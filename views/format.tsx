import type { JSX } from "hono/jsx/jsx-runtime";
import { withoutAction } from "../db/body_rules.ts";
import { type Block, type Inline, parseBody } from "../db/body_syntax.ts";

// User text only ever appears below as a JSX text child or attribute value, so
// hono escapes it; never emit unescaped HTML from here.

const LINK_REL = "noopener noreferrer nofollow";

/** Renders a message body (minus any `/me ` prefix) as safe, formatted HTML. */
export function FormattedBody(props: { body: string; me?: string }): JSX.Element {
  const me = props.me?.toLowerCase();
  return <>{parseBody(withoutAction(props.body)).map((block) => renderBlock(block, me))}</>;
}

function renderBlock(block: Block, me?: string) {
  if (block.kind === "pre") return <pre><code>{block.text}</code></pre>;
  return renderInlines(block.children, me);
}

function renderInlines(nodes: Inline[], me?: string) {
  return nodes.map((node) => renderInline(node, me));
}

function renderInline(node: Inline, me?: string) {
  switch (node.kind) {
    case "text":
      return node.text;
    case "br":
      return <br />;
    case "code":
      return <code>{node.text}</code>;
    case "link":
      return <a href={node.href} rel={LINK_REL} target="_blank">{node.text}</a>;
    case "mention":
      return renderMention(node.name, me);
    case "strong":
      return <strong>{renderInlines(node.children, me)}</strong>;
    case "em":
      return <em>{renderInlines(node.children, me)}</em>;
  }
}

function renderMention(name: string, me?: string) {
  const cls = name.toLowerCase() === me ? "mention mention-me" : "mention";
  return <span class={cls}>@{name}</span>;
}
