import { Hono } from "hono";
import { fileStream, findFile } from "../db/files.ts";
import { INLINE_TYPES } from "../views/attachments.tsx";
import type { Deps } from "./env.ts";
import type { RoomEnv } from "./room.tsx";

/**
 * What a served file may do if a browser renders it anyway: nothing. A sandbox with no
 * script, no fetches and only this origin's images (routes/headers.ts keeps a sandbox policy).
 */
export const FILE_POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

/** The name as an ASCII fallback and as RFC 5987 UTF-8 (RFC 6266 filename and filename*). */
export function disposition(kind: "inline" | "attachment", name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9 ._()+,-]/g, "_");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * `/rooms/:slug/files/:id`: a file of a message that is not deleted, to those who may read the
 * room (routes/room.tsx applied the read rule). Only PNG, JPEG, GIF and WebP are served as
 * what they are, inline; anything else, HTML and SVG above all, as an octet-stream download.
 * The bytes stream from the database a chunk at a time.
 */
export function roomFileRoutes(deps: Deps) {
  const app = new Hono<RoomEnv>();

  app.get("/:id", async (c) => {
    const file = await findFile(deps.db, { roomId: c.get("room").id, id: c.req.param("id") });
    if (!file) return c.text("No such file in this room", 404);
    const image = INLINE_TYPES.includes(file.type);
    const etag = `"${file.id}"`;
    c.header("ETag", etag);
    // A file never changes under its id; private, as only the room's readers may see it.
    c.header("Cache-Control", "private, max-age=31536000, immutable");
    c.header("Content-Security-Policy", FILE_POLICY);
    c.header("X-Content-Type-Options", "nosniff");
    if (c.req.header("if-none-match") === etag) return c.body(null, 304);
    c.header("Content-Type", image ? file.type : "application/octet-stream");
    c.header("Content-Disposition", disposition(image ? "inline" : "attachment", file.name));
    c.header("Content-Length", String(file.size));
    return c.body(fileStream(deps.db, file.id));
  });

  return app;
}
