// Export: the chat's lasting data as JSON lines, table by table in key order, a page at a time
// (never the whole table in memory). db/import.ts reads the same lines back; the two share
// EXPORTED, so a table added there is exported and imported alike.
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "./schema.ts";

/** One exported table: the line type, its key (the paging order), and columns never written. */
export interface ExportedTable {
  type: string;
  table: keyof Database;
  key: string[];
  omit?: string[];
}

/**
 * What an export holds, in an order that satisfies every foreign key on import. Left out:
 * sessions, password hashes, mention feed links and invitation or reset secrets (imported
 * people sign in through a reset link), API tokens, bots' webhook URLs and signing secrets,
 * incoming webhooks and webhook deliveries (a bot keeps its `bot` flag; an admin gives it new
 * tokens and saves its URL again, which makes a new signing secret), what is rebuilt at run
 * time (presence, instances, login failures), and files with their bytes (files, file_chunks: an imported message keeps
 * its text without its attachments; a database backup keeps them).
 */
export const EXPORTED: ExportedTable[] = [
  { type: "user", table: "users", key: ["id"], omit: ["password_hash", "invitation_id"] },
  { type: "settings", table: "settings", key: ["id"] },
  { type: "room", table: "rooms", key: ["id"] },
  { type: "membership", table: "memberships", key: ["room_id", "user_id"] },
  { type: "message", table: "messages", key: ["id"] },
  { type: "revision", table: "message_revisions", key: ["id"] },
  { type: "reaction", table: "reactions", key: ["message_id", "user_id", "emoji"] },
  { type: "mention", table: "mentions", key: ["message_id", "user_id"] },
  { type: "audit", table: "audit_log", key: ["id"] },
];

/** The first line of every export: what it is and which format version. */
export const HEADER_TYPE = "hyperchat-export";
export const FORMAT_VERSION = 1;

const PAGE = 1000;

type Row = Record<string, unknown>;

/** One table's rows in key order, a page at a time, each without its omitted columns. */
async function* rowsOf(
  db: Kysely<Database>,
  spec: ExportedTable,
  page: number,
): AsyncGenerator<Row> {
  const keys = sql.raw(spec.key.map((k) => `"${k}"`).join(", "));
  let after: unknown[] | null = null;
  while (true) {
    const past: RawBuilder<unknown> = after ? sql`where (${keys}) > (${sql.join(after)})` : sql``;
    const { rows } = await sql<Row>`select * from ${sql.table(spec.table)} ${past}
      order by ${keys} limit ${page}`.execute(db);
    for (const row of rows) {
      for (const column of spec.omit ?? []) delete row[column];
      yield row;
    }
    if (rows.length < page) return;
    const last: Row = rows[rows.length - 1];
    after = spec.key.map((k) => last[k]);
  }
}

/**
 * Every line of an export, header first; `counts` tallies the rows by line type, `page` is how
 * many rows each query reads (default 1000).
 */
export async function* exportLines(
  db: Kysely<Database>,
  options: { counts?: Record<string, number>; page?: number } = {},
): AsyncGenerator<string> {
  const { counts = {}, page = PAGE } = options;
  const header = { type: HEADER_TYPE, version: FORMAT_VERSION, at: new Date().toISOString() };
  yield JSON.stringify(header) + "\n";
  for (const spec of EXPORTED) {
    counts[spec.type] = 0;
    for await (const row of rowsOf(db, spec, page)) {
      counts[spec.type]++;
      yield JSON.stringify({ type: spec.type, row }) + "\n";
    }
  }
}

/**
 * Writes an export to a byte stream (stdout or a file) in chunks of lines, then closes it. It
 * reads in one read-only repeatable-read transaction: one snapshot, however long it takes,
 * while servers keep writing.
 */
export async function writeExport(
  db: Kysely<Database>,
  out: WritableStream<Uint8Array>,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const encoder = new TextEncoder();
  const writer = out.getWriter();
  let chunk = "";
  const trx = await db.startTransaction().setIsolationLevel("repeatable read")
    .setAccessMode("read only").execute();
  try {
    for await (const line of exportLines(trx, { counts })) {
      chunk += line;
      if (chunk.length > 64 * 1024) await writer.write(encoder.encode(chunk)), chunk = "";
    }
  } finally {
    await trx.rollback().execute();
  }
  if (chunk) await writer.write(encoder.encode(chunk));
  // A file's bytes reach the disk only when its stream closes.
  await writer.close();
  return counts;
}
