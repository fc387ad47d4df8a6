import { Hono } from "hono";
import { onlineCounts } from "../db/presence.ts";
import { listRooms } from "../db/rooms.ts";
import { readSettings } from "../db/settings.ts";
import { RoomIndex, SignedOutLobby } from "../views/lobby.tsx";
import type { Deps, Env } from "./env.ts";

/** `/`: the lobby when signed out, the room index when signed in. */
export function lobbyRoutes(deps: Deps) {
  return new Hono<Env>().get("/", async (c) => {
    const user = c.get("user");
    if (!user) {
      const { guestsEnabled } = await readSettings(deps.db);
      return c.html(<SignedOutLobby guests={guestsEnabled} />);
    }
    const rooms = await listRooms(deps.db, user.id);
    const counts = await onlineCounts(deps.db, rooms.map((r) => r.id));
    return c.html(<RoomIndex user={user} rooms={rooms} counts={counts} />);
  });
}
