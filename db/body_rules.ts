import { inlinesOf, parseBody } from "./body_syntax.ts";

// What a message body means beyond its text: the store records its mentions (inbox items),
// the page draws the same (views/format.tsx), so both read it through this one module.

const ACTION = /^\/me\s+(?=\S)/;

/** True when the body is an IRC-style `/me does something` action. */
export function isAction(body: string): boolean {
  return ACTION.test(body);
}

/** The body without its `/me ` prefix: what is shown and searched for mentions. */
export function withoutAction(body: string): string {
  return body.replace(ACTION, "");
}

/** Distinct lower-cased names @mentioned in the body, ignoring code and link text. */
export function mentionedNames(body: string): string[] {
  const names = new Set<string>();
  for (const node of inlinesOf(parseBody(withoutAction(body)))) {
    if (node.kind === "mention") names.add(node.name.toLowerCase());
  }
  return [...names];
}
