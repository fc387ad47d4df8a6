import { type Kysely, sql } from "kysely";
import { readableRoomIds } from "./read_rule.ts";
import type { Database } from "./schema.ts";

/** The longest search query, in characters. */
export const MAX_QUERY = 200;
/** Marks where ts_headline starts and stops a match; stripped from bodies first. */
export const START = "\u0002";
export const STOP = "\u0003";

/** One search hit with a snippet whose matches sit between START and STOP. */
export interface SearchHit {
  id: string;
  room_slug: string;
  room_name: string;
  display_name: string;
  created_at: Date;
  snippet: string;
}

const OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=10, MaxFragments=2`;

/**
 * Full text search over the messages a person may read (the read rule, db/read_rule.ts);
 * never deleted ones. Best matches first. The `to_tsvector` expression
 * must stay the one indexed by messages_search (migration 2026_11_21_0005).
 */
export async function searchMessages(
  db: Kysely<Database>,
  input: { userId: string; query: string; limit?: number },
): Promise<SearchHit[]> {
  const result = await sql<SearchHit>`
    select m.id, r.slug as room_slug, r.name as room_name, u.display_name, m.created_at,
      ts_headline('english', translate(m.body, ${START + STOP}, ''), q, ${OPTIONS}) as snippet
    from messages m
    join rooms r on r.id = m.room_id
    join users u on u.id = m.author_id,
    websearch_to_tsquery('english', ${input.query}) q
    where to_tsvector('english', m.body) @@ q and m.deleted_at is null
      and m.room_id in ${readableRoomIds(input.userId)}
    order by ts_rank(to_tsvector('english', m.body), q) desc, m.seq desc
    limit ${input.limit ?? 50}`.execute(db);
  return result.rows;
}
