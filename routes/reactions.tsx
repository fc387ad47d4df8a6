import { type Context, Hono } from "hono";
import { findMessage } from "../db/messages.ts";
import { emojiProblem, normalEmoji, toggleReaction } from "../db/reactions.ts";
import { Message } from "../views/message.tsx";
import { MessageFormPage } from "../views/message_form_page.tsx";
import { ReactionPicker } from "../views/reactions.tsx";
import { enterRoom, refusal, refused } from "./access.ts";
import type { AuthedEnv, Deps } from "./env.ts";
import { requireUser } from "./guards.ts";

/** The room and message `:slug`/`:id` this person may react to, else the refusal. */
async function reactable(c: Context<AuthedEnv>, deps: Deps) {
  const room = await enterRoom(deps.db, c.req.param("slug")!, c.get("user"));
  if (refused(room)) return refusal(c, room);
  const message = await findMessage(deps.db, c.req.param("id")!);
  if (!message || message.room_id !== room.id || message.deleted_at) {
    return c.text(`There is no such message in #${room.slug}`, 404);
  }
  if (room.archived_at) return c.text(`#${room.slug} is archived: it is read-only`, 403);
  return { room, message };
}

/** The picker: inline for htmx, a page of its own without JS (also for a refused emoji). */
function picker(c: Context<AuthedEnv>, found: Reacting, extra: { emoji?: string; error?: string }) {
  const form = <ReactionPicker message={found.message} {...extra} />;
  c.header("Vary", "HX-Request");
  if (c.req.header("hx-request")) return c.html(form, extra.error ? 422 : 200);
  const page = (
    <MessageFormPage user={c.get("user")} message={found.message} title="React">
      {form}
    </MessageFormPage>
  );
  return c.html(page, extra.error ? 422 : 200);
}

type Reacting = Exclude<Awaited<ReturnType<typeof reactable>>, Response>;

/** Toggles a valid emoji; htmx gets the fresh message (it replaces itself), forms a 303. */
async function toggle(c: Context<AuthedEnv>, deps: Deps, found: Reacting, emoji: string) {
  const { room, message } = found;
  // Every toggle is pushed to the whole room, so it is metered like sending.
  if (!deps.limiter.take(`react:${c.get("user").id}`)) {
    return c.text("Too many reactions at once: wait a moment", 429);
  }
  const input = { messageId: message.id, roomId: room.id, userId: c.get("user").id, emoji };
  const outcome = await toggleReaction(deps.db, input);
  if (outcome === "gone") return c.text(`There is no such message in #${room.slug}`, 404);
  if (outcome === "full") {
    return picker(c, found, { emoji, error: "This message has too many different reactions" });
  }
  c.header("Vary", "HX-Request");
  if (!c.req.header("hx-request")) return c.redirect(`/rooms/${room.slug}#m-${message.id}`, 303);
  // The push brings the same bytes to every page a moment later; this one need not wait.
  const fresh = await findMessage(deps.db, message.id);
  return c.html(fresh ? <Message message={fresh} oob /> : "");
}

/** Reactions: `GET` the picker, `POST` field `emoji` toggles the person's own reaction. */
export function reactionRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireUser());

  app.get("/:slug/messages/:id/reactions", async (c) => {
    const found = await reactable(c, deps);
    return found instanceof Response ? found : picker(c, found, {});
  });

  app.post("/:slug/messages/:id/reactions", async (c) => {
    const found = await reactable(c, deps);
    if (found instanceof Response) return found;
    const form = await c.req.parseBody();
    const emoji = typeof form.emoji === "string" ? normalEmoji(form.emoji) : "";
    const problem = emojiProblem(emoji);
    if (problem) return picker(c, found, { emoji: emoji.slice(0, 64), error: problem });
    return await toggle(c, deps, found, emoji);
  });

  return app;
}
