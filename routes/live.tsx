import { Hono } from "hono";
import { Composer } from "../views/composer.tsx";
import { AppendNotice, DeliveryLine } from "../views/inbox_live.tsx";
import { enterRoom, refusal, refused, wholeNumber } from "./access.ts";
import type { AuthedEnv, Deps } from "./env.ts";
import { requireUser } from "./guards.ts";
import type { Subscriber } from "./hub.ts";
import { parsePm } from "./pm.ts";
import { submitMessage, type Submitted } from "./submit.ts";
import { isTypingFrame } from "./typing.tsx";

/** Frames larger than this close the socket with 1009 (message too big). */
export const MAX_FRAME = 16 * 1024;

/** A socket whose unsent bytes pass this is too slow; it is closed and resumes on reconnect. */
const MAX_BUFFERED = 4 * 1024 * 1024;

function parseFrame(data: string): { body: string; clientId: string | null } | null {
  try {
    const frame = JSON.parse(data);
    if (typeof frame !== "object" || frame === null) return null;
    const body = typeof frame.body === "string" ? frame.body : "";
    const clientId = typeof frame.client_id === "string" && frame.client_id
      ? frame.client_id
      : null;
    return { body, clientId };
  } catch {
    return null;
  }
}

/** `GET /rooms/:slug/live`: the room over the htmx ws extension. */
export function liveRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireUser());

  app.get("/:slug/live", async (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      return c.text("This endpoint speaks WebSocket only", 426);
    }
    const user = c.get("user");
    const room = await enterRoom(deps.db, c.req.param("slug"), user);
    if (refused(room)) return refusal(c, room);
    // A connection accepted during shutdown would keep the server from ever finishing it.
    if (deps.hub.closing) return c.text("Server restarting", 503);
    const { socket, response } = Deno.upgradeWebSocket(c.req.raw, { idleTimeout: 25 });
    const sub: Subscriber = {
      userId: user.id,
      cursor: wholeNumber(c.req.query("after")) ?? room.version,
      send(frame) {
        sub.notice(frame.html);
      },
      notice(html) {
        if (socket.readyState !== WebSocket.OPEN) return;
        if (socket.bufferedAmount > MAX_BUFFERED) return socket.close(1013, "Too far behind");
        socket.send(html);
      },
      close: (code, reason) => socket.close(code, reason),
    };
    let leave: (() => void) | null = null;
    const untrack = deps.hub.track((code, reason) => {
      if (socket.readyState <= WebSocket.OPEN) socket.close(code, reason);
    }, user.id);
    let away: (() => void) | null = null;
    socket.onopen = () => {
      if (deps.hub.closing) return socket.close(1012, "Server restarting");
      leave = deps.hub.subscribe(room.id, sub);
      away = deps.presence.enter(room, user, sub);
    };
    socket.onclose = () => (untrack(), leave?.(), away?.());
    socket.onerror = () => {};
    // A socket's frames are stored in the order sent. A room message reaches the room's
    // batcher before the next frame is looked at, without waiting for its commit, so a busy
    // sender's messages share commits; a /pm waits for its own send (it looks people up first).
    let queue = Promise.resolve();
    const reply = (body: string) => (sent: Submitted) => {
      if (sent.ok && sent.delivered) {
        sub.notice(String(
          <AppendNotice>
            <DeliveryLine {...sent.delivered} />
          </AppendNotice>,
        ));
      }
      if (sent.ok) return;
      sub.notice(
        String(<Composer room={room} transport="ws" body={body} error={sent.error} oob />),
      );
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== "string" || event.data.length > MAX_FRAME) {
        return socket.close(1009, "Frame too large");
      }
      if (isTypingFrame(event.data)) return deps.presence.typed(room, user);
      const frame = parseFrame(event.data);
      if (!frame) return socket.close(1003, "Frames must be JSON objects");
      queue = queue.then(() => {
        const sent = submitMessage(deps, { user, room, ...frame }).then(reply(frame.body))
          .catch((error) => console.error("Sending a frame failed:", error));
        if (parsePm(frame.body)) return sent;
      });
    };
    return response;
  });

  return app;
}
