import { Hono } from "hono";
import { createRoom, listRooms, roomNameProblem } from "../db/rooms.ts";
import { clip, ROOM_NAME, textProblem } from "../db/text.ts";
import { RoomIndex } from "../views/lobby.tsx";
import type { AuthedEnv, Deps } from "./env.ts";
import { requireUser } from "./guards.ts";
import { creationDenied } from "./room_rules.ts";

/** `POST /rooms`: creates a room, or goes to the one of that name (GET /rooms/:slug is room_page.tsx). */
export function roomsRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  // Only here: everything under /rooms/:slug is the room app's, with its own login check.
  app.use("/", requireUser());

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

  return app;
}
