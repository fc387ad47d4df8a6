import { type Context, Hono } from "hono";
import { findDirectRoom } from "../db/direct.ts";
import type { User } from "../db/schema.ts";
import { EmptyConversation, NoConversation } from "../views/dm_page.tsx";
import { enterRoom, refusal, refused } from "./access.ts";
import type { AuthedEnv, Deps } from "./env.ts";
import { requireUser } from "./guards.ts";
import { findRecipient, recipientProblem, submitPrivate } from "./pm.ts";
import { roomPage } from "./room_page.tsx";

/** The person named in the URL, or the page saying why there is no conversation. */
async function partner(c: Context<AuthedEnv>, deps: Deps): Promise<User | Response> {
  const name = c.req.param("username") ?? "";
  const them = await findRecipient(deps, name);
  const problem = recipientProblem(c.get("user"), { name, to: them });
  if (problem || !them) {
    return c.html(<NoConversation user={c.get("user")} reason={problem ?? "Nobody"} />, 404);
  }
  return them;
}

/** `/dm/:username`: the direct conversation (the room page), or an empty one to start. */
export function dmRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireUser());

  app.get("/:username", async (c) => {
    const them = await partner(c, deps);
    if (them instanceof Response) return them;
    const direct = await findDirectRoom(deps.db, c.get("user").id, them.id);
    if (direct) {
      // The read rule applies here too (a guest reads nothing while guests are off).
      const room = await enterRoom(deps.db, direct.slug, c.get("user"));
      if (refused(room)) return refusal(c, room);
      return await roomPage(c, deps, { ...room, name: them.display_name });
    }
    return c.html(<EmptyConversation user={c.get("user")} with={them} />);
  });

  // The empty conversation's form; once the room exists its page posts to the room.
  app.post("/:username", async (c) => {
    const them = await partner(c, deps);
    if (them instanceof Response) return them;
    const form = await c.req.parseBody();
    const body = typeof form.body === "string" ? form.body : "";
    const user = c.get("user");
    const sent = await submitPrivate(deps, {
      user,
      name: them.username,
      text: body,
      clientId: null,
    });
    if (sent.ok) return c.redirect(`/dm/${them.username}`, 303);
    const status = sent.status === 429 ? 429 : 422;
    return c.html(
      <EmptyConversation user={user} with={them} body={body} error={sent.error} />,
      status,
    );
  });

  return app;
}
