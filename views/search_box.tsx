import { MAX_QUERY } from "../db/search.ts";

/** The search box, as in the header and on the results page. */
export function SearchBox(props: { q?: string }) {
  return (
    <form class="search" method="get" action="/search" role="search">
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
