import { type Context, Hono } from "hono";
import { findMessage } from "../db/messages.ts";
import { emojiProblem, normalEmoji, toggleReaction } from "../db/reactions.ts";
import { Message } from "../views/message.tsx";
import { MessageFormPage } from "../views/message_form_page.tsx";
import { ReactionPicker } from "../views/reactions.tsx";
import type { Deps } from "./env.ts";
import { type MessageEnv, noSuchMessage, notDeleted } from "./room_message.tsx";

/** The picker: inline for htmx, a page of its own without JS (also for a refused emoji). */
function picker(c: Context<MessageEnv>, extra: { emoji?: string; error?: string }) {
  const form = <ReactionPicker message={c.get("message")} {...extra} />;
  c.header("Vary", "HX-Request");
  if (c.req.header("hx-request")) return c.html(form, extra.error ? 422 : 200);
  const page = (
    <MessageFormPage user={c.get("user")} message={c.get("message")} title="React">
      {form}
    </MessageFormPage>
  );
  return c.html(page, extra.error ? 422 : 200);
}

/** Toggles a valid emoji; htmx gets the fresh message (it replaces itself), forms a 303. */
async function toggle(c: Context<MessageEnv>, deps: Deps, emoji: string) {
  const { user, room, message } = c.var;
  // Every toggle is pushed to the whole room, so it is metered like sending.
  if (!deps.limiter.take(`react:${user.id}`)) {
    return c.text("Too many reactions at once: wait a moment", 429);
  }
  const input = { messageId: message.id, roomId: room.id, userId: user.id, emoji };
  const outcome = await toggleReaction(deps.db, input);
  if (outcome === "gone") return noSuchMessage(c);
  if (outcome === "full") {
    return picker(c, { emoji, error: "This message has too many different reactions" });
  }
  c.header("Vary", "HX-Request");
  if (!c.req.header("hx-request")) return c.redirect(`/rooms/${room.slug}#m-${message.id}`, 303);
  // The push brings the same bytes to every page a moment later; this one need not wait.
  const fresh = await findMessage(deps.db, message.id);
  return c.html(fresh ? <Message message={fresh} oob /> : "");
}

/**
 * `/rooms/:slug/messages/:id/reactions`: `GET` the picker, `POST` field `emoji` toggles the
 * person's own reaction. An archived room is read-only.
 */
export function reactionRoutes(deps: Deps) {
  const app = new Hono<MessageEnv>();
  app.use(notDeleted, async (c, next) => {
    const room = c.get("room");
    if (room.archived_at) return c.text(`#${room.slug} is archived: it is read-only`, 403);
    await next();
  });

  app.get("/", (c) => picker(c, {}));

  app.post("/", async (c) => {
    const form = await c.req.parseBody();
    const emoji = typeof form.emoji === "string" ? normalEmoji(form.emoji) : "";
    const problem = emojiProblem(emoji);
    if (problem) return picker(c, { emoji: emoji.slice(0, 64), error: problem });
    return await toggle(c, deps, emoji);
  });

  return app;
}
