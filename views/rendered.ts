import { raw } from "hono/html";

declare const rendered: unique symbol;

/**
 * HTML made by rendering JSX, so every user text in it is already escaped, kept as a string
 * to measure its size or send it to many readers. Only `render` makes one.
 */
export type Rendered = string & { readonly [rendered]: true };

/** Renders a JSX element to a string once. */
export function render(element: unknown): Rendered {
  return String(element) as Rendered;
}

/** Places rendered HTML as it is. Takes only `Rendered` strings, never plain text. */
export function Prerendered(props: { html: Rendered[] }) {
  return raw(props.html.join(""));
}
