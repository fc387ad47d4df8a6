// Import: reads an export (db/export.ts) back into an empty database, in one transaction, a
// batch of rows at a time as the lines stream in (never the whole file in memory).
import { type Kysely, sql } from "kysely";
import { EXPORTED, type ExportedTable, FORMAT_VERSION, HEADER_TYPE } from "./export.ts";
import type { Database } from "./schema.ts";

/** Refused input: the reason names the line, so a person can look at it. */
export class ImportRefused extends Error {}

const BATCH = 200;
const BY_TYPE = new Map(EXPORTED.map((spec) => [spec.type, spec]));

type Row = Record<string, unknown>;

/** The lines of a byte stream, decoded, without their line ends. */
export async function* linesOf(input: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let rest = "";
  for await (const text of input.pipeThrough(new TextDecoderStream())) {
    const parts = (rest + text).split("\n");
    rest = parts.pop()!;
    yield* parts;
  }
  if (rest) yield rest;
}

/** A line's parsed value, or a refusal naming the line. */
function parse(line: string, n: number): { type?: unknown; row?: unknown; version?: unknown } {
  try {
    const value = JSON.parse(line);
    if (typeof value === "object" && value !== null) return value;
  } catch {
    // Refused below.
  }
  throw new ImportRefused(`Line ${n} is not a JSON object`);
}

/** Refuses a database that already holds people, rooms or messages. */
async function checkEmpty(db: Kysely<Database>) {
  const { rows } = await sql<{ taken: boolean }>`select exists (select 1 from users)
    or exists (select 1 from rooms) or exists (select 1 from messages) as taken`.execute(db);
  if (rows[0].taken) {
    throw new ImportRefused(
      "The database is not empty: import only into a new one (people, rooms or messages exist)",
    );
  }
}

async function insert(db: Kysely<Database>, spec: ExportedTable, rows: Row[]) {
  const query = db.insertInto(spec.table).values(rows as never);
  if (spec.table !== "settings") return void await query.execute();
  // The settings row may exist already (its defaults): the exported one replaces it.
  await query.onConflict((oc) => oc.column("id").doUpdateSet(rows[0] as never)).execute();
}

/**
 * Reads an export into an empty database (refusing one that is not empty) in one transaction:
 * a bad line leaves nothing behind. Returns the rows imported by line type.
 */
export async function importLines(
  db: Kysely<Database>,
  lines: AsyncIterable<string>,
): Promise<Record<string, number>> {
  return await db.transaction().execute(async (trx) => {
    await checkEmpty(trx);
    const counts: Record<string, number> = {};
    let batch: Row[] = [];
    let spec: ExportedTable | null = null;
    let n = 0;
    for await (const line of lines) {
      n++;
      if (!line.trim()) continue;
      const value = parse(line, n);
      if (n === 1) {
        checkHeader(value);
        continue;
      }
      const next = BY_TYPE.get(String(value.type));
      if (!next || typeof value.row !== "object" || value.row === null) {
        throw new ImportRefused(`Line ${n} has an unknown type "${value.type}" or no row`);
      }
      if (next !== spec || batch.length >= BATCH) {
        if (spec) await insertAt(trx, spec, batch, n);
        batch = [];
        spec = next;
      }
      batch.push(value.row as Row);
      counts[next.type] = (counts[next.type] ?? 0) + 1;
    }
    if (n === 0) throw new ImportRefused("The input is empty: nothing to import");
    if (spec) await insertAt(trx, spec, batch, n);
    return counts;
  });
}

function checkHeader(value: { type?: unknown; version?: unknown }) {
  if (value.type !== HEADER_TYPE) {
    throw new ImportRefused("Line 1 is not the header of a chat export");
  }
  if (value.version !== FORMAT_VERSION) {
    throw new ImportRefused(`This export is format ${value.version}; this version reads 1`);
  }
}

/** Inserts a batch; a database error is refused with the line it was read by. */
async function insertAt(db: Kysely<Database>, spec: ExportedTable, rows: Row[], n: number) {
  await insert(db, spec, rows).catch((error) => {
    const why = error instanceof Error ? error.message : String(error);
    throw new ImportRefused(`The ${spec.type} rows before line ${n} could not be stored: ${why}`);
  });
}
