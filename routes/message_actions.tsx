import { type Context, Hono } from "hono";
import type { Child } from "hono/jsx";
import {
  bodyProblem,
  findMessage,
  type MessageView,
  reviseMessage,
  seqAfter,
} from "../db/messages.ts";
import type { Room, User } from "../db/schema.ts";
import { EditForm } from "../views/message_actions.tsx";
import { MessageFormPage } from "../views/message_form_page.tsx";
import { enterRoom, refusal, refused } from "./access.ts";
import type { AuthedEnv, Deps } from "./env.ts";
import { requireUser } from "./guards.ts";

/** Messages shown after a permalinked one (and about as many before it). */
const AROUND = 25;

/** The message `:id` when it belongs to the room, else null. */
async function messageIn(deps: Deps, room: Room, id: string) {
  const message = await findMessage(deps.db, id);
  return message && message.room_id === room.id ? message : null;
}

/**
 * The room and message `:slug`/`:id` when this person may change it, else the refusal. Its
 * author may edit and delete it; an admin may delete it, never put words in its author's
 * mouth (db/messages.ts reviseMessage holds the same line).
 */
async function editable(c: Context<AuthedEnv>, deps: Deps, action: "edit" | "delete") {
  const user = c.get("user");
  const room = await enterRoom(deps.db, c.req.param("slug")!, user);
  if (refused(room)) return refusal(c, room);
  const message = await messageIn(deps, room, c.req.param("id")!);
  if (!message || message.deleted_at) {
    return c.text(`There is no such message in #${room.slug}`, 404);
  }
  if (message.author_id !== user.id && (action === "edit" || user.role !== "admin")) {
    const reason = user.role === "admin"
      ? "Only its author can edit this message; admins can delete it"
      : "Only its author or an admin can change this message";
    return c.text(reason, 403);
  }
  if (room.archived_at) return c.text(`#${room.slug} is archived: its messages are final`, 403);
  return { room, message };
}

function editPage(user: User, message: MessageView, form: Child) {
  return (
    <MessageFormPage user={user} message={message} title="Edit message">{form}</MessageFormPage>
  );
}

/**
 * Edits (`body` given) or deletes (`body` null) a message for its author or an admin, then
 * answers: 204 to htmx (the push updates every page), 303 back to the message otherwise. A
 * refused body comes back in the form with its reason (422), inline for htmx.
 */
async function change(c: Context<AuthedEnv>, deps: Deps, body: string | null) {
  const user = c.get("user");
  const found = await editable(c, deps, body === null ? "delete" : "edit");
  if (found instanceof Response) return found;
  const { room, message } = found;
  const problem = body === null ? null : bodyProblem(body);
  c.header("Vary", "HX-Request");
  if (problem) {
    const form = <EditForm message={message} body={body ?? ""} error={problem} />;
    if (c.req.header("hx-request")) return c.html(form, 422);
    return c.html(editPage(user, message, form), 422);
  }
  const changed = await reviseMessage(deps.db, {
    messageId: message.id,
    roomId: room.id,
    editorId: user.id,
    body,
  });
  if (!changed) return c.text(`There is no such message in #${room.slug}`, 404);
  if (c.req.header("hx-request")) return c.body(null, 204);
  return c.redirect(`/rooms/${room.slug}#m-${message.id}`, 303);
}

/** Editing (form on demand), deleting and permalinks: `/rooms/:slug/messages/:id[/edit|/delete]`. */
export function messageActionRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireUser());

  app.post("/:slug/messages/:id/edit", async (c) => {
    const form = await c.req.parseBody();
    return await change(c, deps, typeof form.body === "string" ? form.body : "");
  });

  app.post("/:slug/messages/:id/delete", (c) => change(c, deps, null));

  // The edit form on demand: inline for htmx, a page of its own without JS.
  app.get("/:slug/messages/:id/edit", async (c) => {
    // Admins reach it too, for someone else's message: they get the Delete button alone.
    const found = await editable(c, deps, "delete");
    if (found instanceof Response) return found;
    c.header("Vary", "HX-Request");
    const own = found.message.author_id === c.get("user").id;
    const form = <EditForm message={found.message} deleteOnly={!own} />;
    return c.html(c.req.header("hx-request") ? form : editPage(c.get("user"), found.message, form));
  });

  // The room page around the message: the latest page when it is recent, else the page of
  // history that ends AROUND messages after it. The `#m-` fragment highlights it (:target).
  app.get("/:slug/messages/:id", async (c) => {
    const room = await enterRoom(deps.db, c.req.param("slug"), c.get("user"));
    if (refused(room)) return refusal(c, room);
    const message = await messageIn(deps, room, c.req.param("id"));
    if (!message) return c.text(`There is no such message in #${room.slug}`, 404);
    const end = await seqAfter(deps.db, room.id, { seq: message.seq, count: AROUND + 1 });
    const query = end === null ? "" : `?before=${end}`;
    return c.redirect(`/rooms/${room.slug}${query}#m-${message.id}`, 303);
  });

  return app;
}
