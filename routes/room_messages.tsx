import { Hono } from "hono";
import { listMessages } from "../db/messages.ts";
import { Composer } from "../views/composer.tsx";
import { AppendNotice, DeliveryLine } from "../views/inbox_live.tsx";
import { History } from "../views/room_page.tsx";
import { wholeNumber } from "./access.ts";
import { apiSend, isApiSend } from "./api_send.ts";
import type { Deps } from "./env.ts";
import { attachedFiles, filesTooLarge, submitFiles } from "./file_sends.ts";
import type { RoomEnv } from "./room.tsx";
import { roomPage } from "./room_page.tsx";
import { submitMessage } from "./submit.ts";

const PAGE = 50;

/** `/rooms/:slug/messages`: posting (plain form or htmx) and older history (infinite scroll). */
export function roomMessageRoutes(deps: Deps) {
  const app = new Hono<RoomEnv>();

  app.post("/", async (c) => {
    // A script's send (JSON, or a bearer token): a short answer, not a page (api_send.ts).
    if (isApiSend(c, deps)) return await apiSend(c, deps);
    const room = c.get("room");
    const form = await c.req.parseBody({ all: true });
    const body = typeof form.body === "string" ? form.body : "";
    const clientId = typeof form.client_id === "string" && form.client_id ? form.client_id : null;
    // With files (a multipart post, routes/file_sends.ts) text is optional.
    const files = attachedFiles(form);
    const oversized = filesTooLarge(c, deps, files);
    if (oversized) return await oversized;
    const sent = files.length
      ? await submitFiles(deps, { user: c.get("user"), room, body, clientId, files })
      : await submitMessage(deps, { user: c.get("user"), room, body, clientId });
    c.header("Vary", "HX-Request");
    if (c.req.header("hx-request")) {
      const composer = sent.ok ? {} : { body, error: sent.error };
      return c.html(
        <>
          <Composer room={room} {...composer} />
          {sent.ok && sent.delivered && (
            <AppendNotice>
              <DeliveryLine {...sent.delivered} />
            </AppendNotice>
          )}
        </>,
        sent.ok ? 200 : sent.status,
      );
    }
    if (sent.ok) {
      const query = sent.delivered ? `?sent=${sent.message.id}` : "";
      return c.redirect(`/rooms/${room.slug}${query}`, 303);
    }
    // Without the database there is no page to show the form again on: the reason alone.
    if (sent.status === 503) return c.text(sent.error, 503);
    return await roomPage(c, deps, room, {
      body,
      error: sent.error,
      status: sent.status === 403 ? 422 : sent.status,
    });
  });

  app.get("/", async (c) => {
    const room = c.get("room");
    const before = wholeNumber(c.req.query("before"));
    c.header("Vary", "HX-Request");
    if (!c.req.header("hx-request")) {
      return c.redirect(`/rooms/${room.slug}${before === null ? "" : `?before=${before}`}`, 303);
    }
    const page = await listMessages(deps.db, room.id, {
      before: before ?? room.version + 1,
      limit: PAGE + 1,
    });
    const hasMore = page.length > PAGE;
    return c.html(
      <History room={room} messages={hasMore ? page.slice(1) : page} hasMore={hasMore} />,
    );
  });

  return app;
}
