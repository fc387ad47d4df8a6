import { type Context, Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import type { Room, User } from "../db/schema.ts";
import {
  enterRoom,
  type Refusal,
  refusal,
  refused,
  type RoomFinder,
  roomFinder,
} from "./access.ts";
import type { AuthedEnv, Deps } from "./env.ts";
import { signInFirst } from "./guards.ts";
import { adminsOnly } from "./message_revisions.tsx";
import { PAGE_DOOR } from "./room_page.tsx";
import { streamDoor } from "./room_events.tsx";
import { socketDoor, socketOnly } from "./room_live.tsx";

/**
 * How a request enters its room: how the room is found, and how a person who may not enter
 * is told. Plain text by default (signInFirst when signed out); the room page and the live
 * endpoints have their own (a missing room's Create button, an ended notice a page obeys).
 */
export interface Door {
  find?: RoomFinder;
  signedOut?: (c: Context) => Response | Promise<Response>;
  refused?: (c: Context, refusal: Refusal) => Response | Promise<Response>;
}

/** Under /rooms/:slug: a signed-in person and the room the read rule lets them read. */
export type RoomEnv = {
  Variables: AuthedEnv["Variables"] & { room: Room; door?: Door };
  Bindings: AuthedEnv["Bindings"];
};

/**
 * The room-scoped app, mounted at /rooms/:slug (routes/app.ts mounts its sub-resources): the
 * login check, the room loaded and the read rule applied once per request, for every handler
 * under it. Only what a handler writes is checked again, where it is decided.
 */
export function roomScoped(deps: Deps) {
  const app = new Hono<RoomEnv>();
  // Rooms looked up by the live endpoints share queries (a restart brings every page back).
  const find = roomFinder(deps.db);
  // What is decided before the room is looked up, each in the file of its handler.
  app.get("/", through(PAGE_DOOR));
  app.get("/live", socketOnly, through(socketDoor(find)));
  app.get("/events", through(streamDoor(find)));
  app.get("/messages/:id/revisions", adminsOnly);
  app.use(enter(deps));
  return app;
}

/** True when a handler answers this path, not only middleware (else it is not found). */
export function routed(c: Context): boolean {
  return matchedRoutes(c).some((route) => route.method !== "ALL");
}

function through(door: Door) {
  return createMiddleware<RoomEnv>(async (c, next) => {
    c.set("door", door);
    await next();
  });
}

/** Signs in, finds the room and applies the read rule (access.ts enterRoom): once. */
function enter(deps: Deps) {
  return createMiddleware<RoomEnv>(async (c, next) => {
    const door = c.get("door");
    // Typed as certain for the handlers below; this is where that becomes true.
    const user = c.get("user") as User | null;
    if (!user) return (door?.signedOut ?? signInFirst)(c);
    // A path nothing answers stays a plain 404: it neither reads nor joins the room.
    if (!routed(c)) return await next();
    const room = await enterRoom(deps.db, c.req.param("slug")!, user, door?.find);
    if (refused(room)) return (door?.refused ?? refusal)(c, room);
    c.set("room", room);
    await next();
  });
}
