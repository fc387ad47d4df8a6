import { Hono } from "hono";
import { onlineCounts } from "../db/presence.ts";
import { listRooms } from "../db/rooms.ts";
import { RoomIndex } from "../views/lobby.tsx";
import type { Deps, Env } from "./env.ts";
import { signedOutLobby } from "./lobby_offer.tsx";

/** `/`: the lobby when signed out, the room index when signed in. */
export function lobbyRoutes(deps: Deps) {
  return new Hono<Env>().get("/", async (c) => {
    const user = c.get("user");
    if (!user) return c.html(await signedOutLobby(deps));
    const rooms = await listRooms(deps.db, user.id);
    const counts = await onlineCounts(deps.db, rooms.map((r) => r.id));
    return c.html(<RoomIndex user={user} rooms={rooms} counts={counts} />);
  });
}
