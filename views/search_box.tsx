import { MAX_QUERY } from "../db/search.ts";

/**
 * The search box, as in the header and on the results page; each names its landmark
 * (`label`) so a screen reader can tell the two apart.
 */
export function SearchBox(props: { q?: string; label?: string }) {
  return (
    <form
      class="search"
      method="get"
      action="/search"
      role="search"
      aria-label={props.label ?? "Search"}
    >
      <input
        type="search"
        name="q"
        value={props.q ?? ""}
        maxlength={MAX_QUERY}
        placeholder="Search messages"
        aria-label="Search messages"
      />
    </form>
  );
}
