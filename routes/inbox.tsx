import { Hono } from "hono";
import { listConversations, listMentions } from "../db/inbox.ts";
import { InboxPage } from "../views/inbox_page.tsx";
import type { AuthedEnv, Deps } from "./env.ts";
import { eventStream } from "./person_stream.ts";
import { requireUser } from "./guards.ts";
import { sseData } from "./frames.ts";
import { InboxHub } from "./inbox_hub.tsx";

const encoder = new TextEncoder();

/**
 * `GET /inbox` (the page) and `GET /inbox/events` (badge and notices over SSE). Both serve
 * the session user only: there is nothing in the URL to choose whose inbox it is.
 */
export function inboxRoutes(deps: Deps) {
  const inbox = new InboxHub(deps.db);
  deps.fanout.on("user", (event) => inbox.onEvent(event));
  deps.fanout.onListen(() => inbox.catchUp());
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
      const send = (html: string) =>
        stream.write(encoder.encode(`event: inbox\n${sseData(html)}\n\n`));
      return inbox.subscribe(userId, { send });
    });
  });

  return app;
}
