import type { Child } from "hono/jsx";
import { type SearchHit, START, STOP } from "../db/search.ts";
import type { User } from "../db/schema.ts";
import { FormError, Layout } from "./layout.tsx";
import { Time } from "./message.tsx";
import { SearchBox } from "./search_box.tsx";

/**
 * A ts_headline snippet as JSX: the text between START and STOP becomes <mark>, and every
 * piece stays escaped text (ts_headline's own output is not safe HTML).
 */
export function Snippet(props: { text: string }) {
  const pieces: Child[] = [];
  let marked = false;
  for (const piece of props.text.split(new RegExp(`([${START}${STOP}])`))) {
    if (piece === START || piece === STOP) marked = piece === START;
    else if (piece) pieces.push(marked ? <mark>{piece}</mark> : piece);
  }
  return <>{pieces}</>;
}

function Hit(props: { hit: SearchHit }) {
  const h = props.hit;
  return (
    <li class="hit">
      <a href={`/rooms/${h.room_slug}/messages/${h.id}`}>
        <span class="where">#{h.room_name}</span> <span class="who">{h.display_name}</span>{" "}
        <Time at={h.created_at} />
      </a>
      <p class="snippet">
        <Snippet text={h.snippet} />
      </p>
    </li>
  );
}

/** The search page: the form, and results when there was a query. */
export function SearchPage(
  props: { user: User; q: string; hits: SearchHit[] | null; error?: string | null },
) {
  return (
    <Layout title={props.q ? `Search: ${props.q}` : "Search"} user={props.user}>
      <main id="main" class="search-page">
        <h1>Search</h1>
        <SearchBox q={props.q} label="Search again" />
        <FormError message={props.error} />
        {props.hits && !props.hits.length && <p class="empty">No messages match “{props.q}”</p>}
        {props.hits && props.hits.length > 0 && (
          <ol class="hits">{props.hits.map((hit) => <Hit hit={hit} />)}</ol>
        )}
      </main>
    </Layout>
  );
}
