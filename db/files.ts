// Files sent with messages: their rows, their bytes in ~256 KB chunks, and reading them back
// one chunk at a time. A message's files are stored in its send's transaction (db/send_files.ts).
import { type Kysely, sql } from "kysely";
import { imageInfo } from "./file_types.ts";
import type { Database } from "./schema.ts";
import { newId } from "./users.ts";

/** The most files one message carries. */
export const MAX_FILES = 4;

/** The longest file name kept, in characters. */
export const MAX_NAME = 255;

/** Bytes per stored chunk: small enough to stream, large enough for few rows. */
export const CHUNK_BYTES = 256 * 1024;

/** A file as a message shows it (views/attachments.tsx). */
export interface FileView {
  id: string;
  name: string;
  type: string;
  size: number;
  width: number | null;
  height: number | null;
}

/** One file as it arrived: its name and bytes. */
export interface Upload {
  name: string;
  bytes: Uint8Array;
}

/** Selected with a message (db/messages.ts): its files, oldest first, as FileViews. */
export const filesOf = sql<FileView[]>`(
  select coalesce(json_agg(json_build_object('id', f.id, 'name', f.name, 'type', f.type,
    'size', f.size, 'width', f.width, 'height', f.height) order by f.id), '[]')
  from files f where f.message_id = messages.id
)`.as("files");

/** Stores a message's files and their bytes; the type and size come from the bytes alone. */
export async function storeFiles(
  trx: Kysely<Database>,
  message: { id: string; room_id: string; author_id: string },
  uploads: Upload[],
): Promise<FileView[]> {
  const stored: FileView[] = [];
  for (const upload of uploads) {
    const image = imageInfo(upload.bytes);
    const row = {
      id: newId(),
      name: upload.name,
      type: image?.type ?? "application/octet-stream",
      size: upload.bytes.length,
      width: image?.width ?? null,
      height: image?.height ?? null,
    };
    await trx.insertInto("files").values({
      ...row,
      message_id: message.id,
      room_id: message.room_id,
      uploader_id: message.author_id,
    }).execute();
    for (let seq = 0; seq * CHUNK_BYTES < upload.bytes.length; seq++) {
      const bytes = upload.bytes.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES);
      await trx.insertInto("file_chunks").values({ file_id: row.id, seq, bytes }).execute();
    }
    stored.push(row);
  }
  return stored;
}

/** A file of a room whose message is not deleted, or null: what may be served. */
export async function findFile(
  db: Kysely<Database>,
  input: { roomId: string; id: string },
): Promise<FileView | null> {
  return await db.selectFrom("files").innerJoin("messages", "messages.id", "files.message_id")
    .select(["files.id", "files.name", "files.type", "files.size", "files.width", "files.height"])
    .where("files.id", "=", input.id).where("files.room_id", "=", input.roomId)
    .where("messages.deleted_at", "is", null).executeTakeFirst() ?? null;
}

/** A file's bytes as a stream that reads one chunk from the database per pull. */
export function fileStream(db: Kysely<Database>, fileId: string): ReadableStream<Uint8Array> {
  let seq = 0;
  return new ReadableStream({
    async pull(controller) {
      const chunk = await db.selectFrom("file_chunks").select("bytes")
        .where("file_id", "=", fileId).where("seq", "=", seq++).executeTakeFirst();
      if (chunk) controller.enqueue(new Uint8Array(chunk.bytes));
      else controller.close();
    },
  }, { highWaterMark: 0 });
}

/** Removes a message's files and bytes: called in the transaction that deletes it. */
export async function deleteFilesOf(trx: Kysely<Database>, messageId: string): Promise<void> {
  await trx.deleteFrom("files").where("message_id", "=", messageId).execute();
}
