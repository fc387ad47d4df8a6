import { Hono } from "hono";
import { feedOwner } from "../db/feed_tokens.ts";
import { listMentions } from "../db/inbox.ts";
import { ATOM_TYPE, atomFeed, entryTitle } from "../views/atom.ts";
import type { Deps, Env } from "./env.ts";
import { publicOrigin } from "./public_origin.ts";

/**
 * `GET /feeds/mentions/<token>.atom`: a person's private Atom feed of the messages that mention
 * them, newest 50, from rooms they may still read (listMentions applies the read rule). The
 * token is the only key (db/feed_tokens.ts); a wrong, replaced or revoked one is 404.
 */
export function mentionFeedRoutes(deps: Deps) {
  const app = new Hono<Env>();
  app.get("/:file{[^/]{1,80}\\.atom}", async (c) => {
    const file = c.req.param("file");
    const user = await feedOwner(deps.db, file.slice(0, -".atom".length));
    if (!user) return c.text("Not found", 404);
    const origin = publicOrigin(deps, c);
    const mentions = await listMentions(deps.db, user.id, 50);
    const body = await atomFeed({
      title: `Mentions of @${user.username}`,
      self: `${origin}/feeds/mentions/${file}`,
      alternate: `${origin}/inbox`,
      since: user.created_at,
      entries: mentions.map((m) => ({
        url: `${origin}/rooms/${m.room_slug}/messages/${m.message_id}`,
        title: entryTitle(`${m.author} in #${m.room_name}`, m.body),
        author: m.author,
        body: m.body,
        published: m.created_at,
        updated: m.created_at,
      })),
    });
    return c.body(body, 200, {
      "content-type": ATOM_TYPE,
      "cache-control": "private, max-age=60",
      "x-robots-tag": "noindex",
    });
  });
  return app;
}
