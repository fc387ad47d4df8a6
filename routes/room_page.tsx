import { type Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { listMessages } from "../db/messages.ts";
import { deliveryOf } from "../db/direct.ts";
import { markRoomRead } from "../db/inbox.ts";
import { firstUnread, lastReadVersion } from "../db/unread.ts";
import { onlineCounts, onlineIn } from "../db/presence.ts";
import { listRooms } from "../db/rooms.ts";
import type { Room } from "../db/schema.ts";
import type { Transport } from "../views/composer.tsx";
import { DeliveryLine } from "../views/inbox_live.tsx";
import { MissingRoom } from "../views/lobby.tsx";
import { RoomPage } from "../views/room_page.tsx";
import { refusal, wholeNumber } from "./access.ts";
import type { AuthedEnv, Deps } from "./env.ts";
import type { Door, RoomEnv } from "./room.tsx";

const PAGE = 50;

/** The live transport: `?transport=` (remembered in a cookie), else the cookie, else ws. */
function chooseTransport<E extends AuthedEnv>(c: Context<E>): Transport {
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
export async function roomPage<E extends AuthedEnv>(
  c: Context<E>,
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

/** A room the person may not open: a missing one offers its Create button (GET never writes). */
export const PAGE_DOOR: Door = {
  refused: (c, refused) =>
    refused.status === 404
      ? c.html(<MissingRoom user={c.get("user")} slug={c.req.param("slug")!} />, 404)
      : refusal(c, refused),
};

/** `GET /rooms/:slug`: the room page. */
export function roomPageRoutes(deps: Deps) {
  return new Hono<RoomEnv>().get("/", async (c) => await roomPage(c, deps, c.get("room")));
}
