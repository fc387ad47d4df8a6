import { type Context, Hono } from "hono";
import {
  deleteRoom,
  listAllRooms,
  managedRoom,
  type RoomAccess,
  setArchived,
  setPublicArchive,
  updateRoom,
} from "../db/admin_rooms.ts";
import { listMembers, removeMember } from "../db/room_members.ts";
import type { Room } from "../db/schema.ts";
import { ROOM_NAME, textProblem } from "../db/text.ts";
import { AdminRoom, AdminRooms, ConfirmDeleteRoom } from "../views/admin_rooms.tsx";
import { afterAction, field, requireAdmin } from "./admin_guard.ts";
import type { AuthedEnv, Deps } from "./env.ts";

const ACCESS: RoomAccess[] = ["open", "private", "admin-only"];

async function roomOr404(c: Context<AuthedEnv>, deps: Deps) {
  return await managedRoom(deps.db, c.req.param("id")!);
}

/** Reads the room form; a string is why it is malformed. */
async function roomChanges(c: Context<AuthedEnv>) {
  const form = await c.req.parseBody();
  const access = field(form, "access") as RoomAccess;
  const readAccess = field(form, "read_access");
  if (!ACCESS.includes(access)) return "Kind must be open, private or admin-only";
  if (readAccess !== "all" && readAccess !== "admins") return "Read access must be all or admins";
  const name = field(form, "name");
  const problem = textProblem(name, ROOM_NAME);
  if (problem) return problem;
  const guestsAllowed = field(form, "guests_allowed") === "on";
  return { name, access, readAccess, guestsAllowed } as const;
}

/**
 * `/admin/rooms`: list, change, archive, publish the history (`/publish`, `/unpublish`),
 * delete (with a confirmation step), remove members.
 */
export function adminRoomRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  app.use(requireAdmin());
  const missing = "There is no such room";

  const list = (c: Context<AuthedEnv>) => async (error?: string) => (
    <AdminRooms user={c.get("user")} rooms={await listAllRooms(deps.db)} error={error} />
  );
  const roomView = async (c: Context<AuthedEnv>, room: Room, error?: string) => (
    <AdminRoom
      user={c.get("user")}
      room={room}
      members={await listMembers(deps.db, room.id)}
      error={error}
    />
  );
  /** The room's page as it is now, or the list saying it is gone (deleted meanwhile). */
  const roomPage = (c: Context<AuthedEnv>, roomId: string) => async (error?: string) => {
    const room = await managedRoom(deps.db, roomId);
    return room ? await roomView(c, room, error) : await list(c)(error ?? missing);
  };
  const notFound = async (c: Context<AuthedEnv>) => c.html(await list(c)(missing), 404);

  app.get("/", async (c) => c.html(await list(c)()));

  app.get("/:id", async (c) => {
    const room = await roomOr404(c, deps);
    if (!room) return await notFound(c);
    return c.html(await roomView(c, room));
  });

  app.post("/:id", async (c) => {
    const roomId = c.req.param("id");
    const changes = await roomChanges(c);
    if (typeof changes === "string") return c.html(await roomPage(c, roomId)(changes), 422);
    const outcome = await updateRoom(deps.db, c.get("user"), { roomId, changes });
    return await afterAction(c, outcome, `/admin/rooms/${roomId}`, roomPage(c, roomId));
  });

  for (const [verb, archived] of [["archive", true], ["unarchive", false]] as const) {
    app.post(`/:id/${verb}`, async (c) => {
      const roomId = c.req.param("id");
      const outcome = await setArchived(deps.db, c.get("user"), { roomId, archived });
      return await afterAction(c, outcome, `/admin/rooms/${roomId}`, roomPage(c, roomId));
    });
  }

  for (const [verb, published] of [["publish", true], ["unpublish", false]] as const) {
    app.post(`/:id/${verb}`, async (c) => {
      const roomId = c.req.param("id");
      const outcome = await setPublicArchive(deps.db, c.get("user"), { roomId, published });
      return await afterAction(c, outcome, `/admin/rooms/${roomId}`, roomPage(c, roomId));
    });
  }

  app.get("/:id/delete", async (c) => {
    const room = await roomOr404(c, deps);
    if (!room) return await notFound(c);
    return c.html(<ConfirmDeleteRoom user={c.get("user")} room={room} />);
  });

  app.post("/:id/delete", async (c) => {
    const room = await roomOr404(c, deps);
    if (!room) return await notFound(c);
    if (field(await c.req.parseBody(), "confirm") !== room.slug) {
      const error = `Type ${room.slug} to confirm the deletion`;
      return c.html(<ConfirmDeleteRoom user={c.get("user")} room={room} error={error} />, 422);
    }
    const outcome = await deleteRoom(deps.db, c.get("user"), room.id);
    return await afterAction(c, outcome, "/admin/rooms", roomPage(c, room.id));
  });

  app.post("/:id/members/:userId/remove", async (c) => {
    const room = await roomOr404(c, deps);
    if (!room) return await notFound(c);
    const input = { room, userId: c.req.param("userId") };
    const outcome = await removeMember(deps.db, c.get("user"), input);
    return await afterAction(c, outcome, `/admin/rooms/${room.id}`, roomPage(c, room.id));
  });

  return app;
}
