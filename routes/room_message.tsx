import { type Context, Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { findMessage, type MessageView, seqAfter } from "../db/messages.ts";
import type { Deps } from "./env.ts";
import { type RoomEnv, routed } from "./room.tsx";

/** Messages shown after a permalinked one (and about as many before it). */
const AROUND = 25;

/** Under /rooms/:slug/messages/:id: the room's app, and the message, loaded once. */
export type MessageEnv = {
  Variables: RoomEnv["Variables"] & { message: MessageView };
  Bindings: RoomEnv["Bindings"];
};

/** The one answer for a message that is not in this room (or no longer is). */
export function noSuchMessage(c: Context<MessageEnv>) {
  return c.text(`There is no such message in #${c.get("room").slug}`, 404);
}

/**
 * The message-scoped app, mounted at /rooms/:slug/messages/:id inside the room's: loads the
 * message `:id` once, and only when it belongs to the room (routes/app.ts mounts the rest).
 */
export function messageScoped(deps: Deps) {
  return new Hono<MessageEnv>().use(async (c, next) => {
    if (!routed(c)) return await next();
    const message = await findMessage(deps.db, c.req.param("id")!);
    if (!message || message.room_id !== c.get("room").id) return noSuchMessage(c);
    c.set("message", message);
    await next();
  });
}

/** For what changes a message (edits, deletions, reactions): a deleted one is gone. */
export const notDeleted = createMiddleware<MessageEnv>(async (c, next) => {
  if (c.get("message").deleted_at) return noSuchMessage(c);
  await next();
});

/**
 * `GET /rooms/:slug/messages/:id`: the room page around the message: the latest page when it
 * is recent, else the page of history that ends AROUND messages after it. The `#m-` fragment
 * highlights it (:target). Deleted messages keep their place.
 */
export function permalinkRoutes(deps: Deps) {
  return new Hono<MessageEnv>().get("/", async (c) => {
    const { room, message } = c.var;
    const end = await seqAfter(deps.db, room.id, { seq: message.seq, count: AROUND + 1 });
    const query = end === null ? "" : `?before=${end}`;
    return c.redirect(`/rooms/${room.slug}${query}#m-${message.id}`, 303);
  });
}
