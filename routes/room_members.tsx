import { Hono } from "hono";
import { refusedWith } from "../db/audit.ts";
import { inviteMember, listMembers } from "../db/room_members.ts";
import { clip, PERSON_NAME, textProblem } from "../db/text.ts";
import { MembersPage } from "../views/room_members.tsx";
import { field } from "./admin_guard.ts";
import type { Deps } from "./env.ts";
import type { RoomEnv } from "./room.tsx";

/**
 * `/rooms/:slug/members`: the member list, and invitations into private rooms by any member
 * (removal is for admins, in the admin panel: see routes/admin_rooms.tsx).
 */
export function roomMemberRoutes(deps: Deps) {
  const app = new Hono<RoomEnv>();

  app.get("/", async (c) => {
    const room = c.get("room");
    const members = await listMembers(deps.db, room.id);
    return c.html(<MembersPage user={c.get("user")} room={room} members={members} />);
  });

  app.post("/", async (c) => {
    const room = c.get("room");
    const username = field(await c.req.parseBody(), "username");
    const problem = textProblem(username, PERSON_NAME);
    const outcome = problem
      ? refusedWith(422, problem)
      : await inviteMember(deps.db, c.get("user"), { room, username });
    if (outcome.ok) return c.redirect(`/rooms/${room.slug}/members`, 303);
    const members = await listMembers(deps.db, room.id);
    const invite = { username: clip(username, PERSON_NAME.max), error: outcome.reason };
    return c.html(
      <MembersPage user={c.get("user")} room={room} members={members} invite={invite} />,
      outcome.status,
    );
  });

  return app;
}
