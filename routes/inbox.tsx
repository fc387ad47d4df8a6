import { Hono } from "hono";
import { listConversations, listMentions } from "../db/inbox.ts";
import { InboxPage } from "../views/inbox_page.tsx";
import type { AuthedEnv, Deps } from "./env.ts";
import { eventStream } from "../live/person_stream.ts";
import { sse } from "../live/event_stream.ts";
import { requireUser } from "./guards.ts";

/**
 * `GET /inbox` (the page) and `GET /inbox/events` (badge and notices over SSE, for clients other than
 * the page, whose one connection carries them). Both serve
 * the session user only: there is nothing in the URL to choose whose inbox it is.
 */
export function inboxRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireUser());

  app.get("/", async (c) => {
    const user = c.get("user");
    return c.html(
      <InboxPage
        user={user}
        conversations={await listConversations(deps.db, user.id)}
        mentions={await listMentions(deps.db, user.id)}
      />,
    );
  });

  app.get("/events", (c) => {
    const userId = c.get("user").id;
    return eventStream(deps.hub, { userId, session: c.get("session") }, (stream) => {
      return deps.inbox.subscribe(userId, {
        push: (html) => stream.write(sse({ event: "inbox", data: html })),
      });
    });
  });

  return app;
}
