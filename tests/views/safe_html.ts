import assert from "node:assert/strict";

// What a formatted message body may contain: only these tags and attributes, with these
// values; everything user-typed must be escaped text. Used by format_test and markdown_test.

const ALLOWED: Record<string, Record<string, RegExp>> = {
  a: {
    href: /^(https?:\/\/|mailto:)[^"'<>\s]+$/i,
    rel: /^noopener noreferrer nofollow$/,
    target: /^_blank$/,
  },
  br: {},
  code: { class: /^language-[a-z0-9_+#.-]+$/ },
  pre: {},
  strong: {},
  em: {},
  del: {},
  p: { class: /^heading$/ },
  blockquote: {},
  ul: {},
  ol: { start: /^\d{1,9}$/ },
  li: {},
  hr: {},
  span: { class: /^mention( mention-me)?$/ },
};
const TAG = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<>]*")*)\s*\/?>/g;
const ATTR = /([\w-]+)="([^"]*)"/g;

/** Fails unless the HTML is only allowed tags and attributes around escaped text. */
export function assertSafe(html: string): void {
  const tags = [...html.matchAll(TAG)];
  // Every "<" must start one of the well-formed tags above, or something slipped through.
  assert.equal(tags.length, html.split("<").length - 1, `unparsed markup in ${html}`);
  for (const [, closing, tag, attrs] of tags) {
    assert.ok(Object.hasOwn(ALLOWED, tag), `tag <${tag}> in ${html}`);
    if (closing) assert.equal(attrs, "");
    for (const [, name, value] of attrs.matchAll(ATTR)) {
      const rule = Object.hasOwn(ALLOWED[tag], name) ? ALLOWED[tag][name] : null;
      assert.ok(rule, `attribute ${name} on <${tag}> in ${html}`);
      assert.match(value, rule, `${name}="${value}" on <${tag}>`);
    }
  }
  const text = html.replace(TAG, "");
  assert.doesNotMatch(text, /[<>"']/, `unescaped text in ${html}`);
  assert.doesNotMatch(html, /<script|<img|<iframe|<svg|<style/i);
  // Attribute-looking text is fine once escaped; only the real tags must be clean.
  const markup = tags.map(([tag]) => tag).join("");
  assert.doesNotMatch(markup, /\shx-|\sdata-hx-|\son\w+=|\sstyle=|\sid=|javascript:/i);
}
