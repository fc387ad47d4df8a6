import { Hono } from "hono";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { listMessages } from "../db/messages.ts";
import { deliveryOf } from "../db/direct.ts";
import { markRoomRead } from "../db/inbox.ts";
import { firstUnread, lastReadVersion } from "../db/unread.ts";
import { onlineCounts, onlineIn } from "../db/presence.ts";
import { createRoom, listRooms, roomNameProblem } from "../db/rooms.ts";
import type { Room } from "../db/schema.ts";
import { clip, ROOM_NAME, textProblem } from "../db/text.ts";
import type { Transport } from "../views/composer.tsx";
import { DeliveryLine } from "../views/inbox_live.tsx";
import { MissingRoom, RoomIndex } from "../views/lobby.tsx";
import { RoomPage } from "../views/room_page.tsx";
import { enterRoom, refusal, refused, wholeNumber } from "./access.ts";
import type { AuthedEnv, Deps } from "./env.ts";
import { requireUser } from "./guards.ts";
import { creationDenied } from "./room_rules.ts";

const PAGE = 50;

/** The live transport: `?transport=` (remembered in a cookie), else the cookie, else ws. */
function chooseTransport(c: Context<AuthedEnv>): Transport {
  const asked = c.req.query("transport");
  if (asked === "ws" || asked === "sse") {
    // An automatic fallback (`auto`) lasts one visit; a choice is remembered.
    if (!c.req.query("auto")) {
      setCookie(c, "transport", asked, { path: "/", sameSite: "Lax", maxAge: 365 * 86_400 });
    }
    return asked;
  }
  return getCookie(c, "transport") === "sse" ? "sse" : "ws";
}

/** Renders the room page; shared by GET and by a failed plain-form post. */
export async function roomPage(
  c: Context<AuthedEnv>,
  deps: Deps,
  room: Room,
  composer: { body?: string; error?: string | null; status?: 200 | 422 | 429 } = {},
) {
  const user = c.get("user");
  const before = wholeNumber(c.req.query("before"));
  // History stops at the version the live connection resumes from, so nothing is shown twice.
  const page = await listMessages(deps.db, room.id, {
    before: before ?? room.version + 1,
    limit: PAGE + 1,
  });
  const hasMore = page.length > PAGE;
  // Read before marking read: the divider goes before the first message not seen yet.
  const lastRead = before === null ? await lastReadVersion(deps.db, room.id, user.id) : null;
  if (before === null) await markRoomRead(deps.db, { roomId: room.id, userId: user.id });
  const messages = hasMore ? page.slice(1) : page;
  // After a plain-form /pm, the sender's delivery line (only for the sender's own message).
  const sent = c.req.query("sent");
  const delivered = sent ? await deliveryOf(deps.db, sent, user.id) : null;
  const rooms = await listRooms(deps.db, user.id);
  return c.html(
    <RoomPage
      user={user}
      room={room}
      rooms={rooms}
      online={await onlineIn(deps.db, room.id)}
      counts={await onlineCounts(deps.db, rooms.map((r) => r.id))}
      messages={messages}
      hasMore={hasMore}
      unreadId={firstUnread(messages, { lastRead, userId: user.id })}
      transport={chooseTransport(c)}
      archive={before !== null || room.archived_at !== null}
      composer={composer}
      notice={delivered && <DeliveryLine {...delivered} />}
    />,
    composer.status ?? 200,
  );
}

/** Room creation and the room page. */
export function roomRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireUser());

  app.post("/", async (c) => {
    const form = await c.req.parseBody();
    const name = typeof form.name === "string" ? form.name.trim() : "";
    const problem = textProblem(name, ROOM_NAME) ?? roomNameProblem(name);
    const denied = problem ? null : await creationDenied(deps.db, c.get("user"), name);
    if (problem || denied) {
      const rooms = await listRooms(deps.db, c.get("user").id);
      return c.html(
        <RoomIndex
          user={c.get("user")}
          rooms={rooms}
          name={clip(name, ROOM_NAME.max)}
          error={problem ?? denied}
        />,
        problem ? 422 : 403,
      );
    }
    const kind = form.kind === "private" ? "private" : "open";
    const room = await createRoom(deps.db, { name, kind, creator: c.get("user") });
    return c.redirect(`/rooms/${room.slug}`, 303);
  });

  app.get("/:slug", async (c) => {
    const slug = c.req.param("slug");
    const room = await enterRoom(deps.db, slug, c.get("user"));
    if (refused(room)) {
      if (room.status === 404) return c.html(<MissingRoom user={c.get("user")} slug={slug} />, 404);
      return refusal(c, room);
    }
    return await roomPage(c, deps, room);
  });

  return app;
}
