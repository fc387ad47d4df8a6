import { type Context, Hono } from "hono";
import type { Child } from "hono/jsx";
import { bodyProblem, type MessageView, reviseMessage } from "../db/messages.ts";
import type { User } from "../db/schema.ts";
import { EditForm } from "../views/message_actions.tsx";
import { MessageFormPage } from "../views/message_form_page.tsx";
import type { Deps } from "./env.ts";
import { type MessageEnv, noSuchMessage, notDeleted } from "./room_message.tsx";

/**
 * Who may change the message, else the refusal: its author may edit and delete it; an admin
 * may delete it, never put words in its author's mouth (db/messages.ts reviseMessage holds
 * the same line). An archived room's messages are final.
 */
function forbidden(c: Context<MessageEnv>, action: "edit" | "delete"): Response | null {
  const { user, room, message } = c.var;
  if (message.author_id !== user.id && (action === "edit" || user.role !== "admin")) {
    const reason = user.role === "admin"
      ? "Only its author can edit this message; admins can delete it"
      : "Only its author or an admin can change this message";
    return c.text(reason, 403);
  }
  if (room.archived_at) return c.text(`#${room.slug} is archived: its messages are final`, 403);
  return null;
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
async function change(c: Context<MessageEnv>, deps: Deps, body: string | null) {
  const refused = forbidden(c, body === null ? "delete" : "edit");
  if (refused) return refused;
  const { user, room, message } = c.var;
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
  if (!changed) return noSuchMessage(c);
  if (c.req.header("hx-request")) return c.body(null, 204);
  return c.redirect(`/rooms/${room.slug}#m-${message.id}`, 303);
}

/** Editing (the form on demand) and deleting: `/rooms/:slug/messages/:id/edit|delete`. */
export function messageEditRoutes(deps: Deps) {
  const app = new Hono<MessageEnv>();

  app.post("/edit", notDeleted, async (c) => {
    const form = await c.req.parseBody();
    return await change(c, deps, typeof form.body === "string" ? form.body : "");
  });

  app.post("/delete", notDeleted, (c) => change(c, deps, null));

  // The edit form on demand: inline for htmx, a page of its own without JS.
  app.get("/edit", notDeleted, (c) => {
    // Admins reach it too, for someone else's message: they get the Delete button alone.
    const refused = forbidden(c, "delete");
    if (refused) return refused;
    const { user, message } = c.var;
    c.header("Vary", "HX-Request");
    const form = <EditForm message={message} deleteOnly={message.author_id !== user.id} />;
    return c.html(c.req.header("hx-request") ? form : editPage(user, message, form));
  });

  return app;
}
