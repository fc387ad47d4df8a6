// Accounts and rooms made straight in the database (no password hashing, which is slow on
// purpose), with real sessions, for the admin and access tests.
import type { Kysely } from "kysely";
import type { Database, Role, Room, RoomKind } from "../db/schema.ts";
import { createSession } from "../db/sessions.ts";
import { createUser, newId } from "../db/users.ts";

/** An account with a role and a live session. */
export interface Person {
  id: string;
  username: string;
  cookie: string;
}

/** Creates an account (a guest has no password) and signs it in. */
export async function person(db: Kysely<Database>, username: string, role: Role): Promise<Person> {
  const passwordHash = role === "guest" ? null : "not-a-usable-hash";
  const user = await createUser(db, { username, passwordHash, role });
  if (user === "taken") throw new Error(`${username} exists`);
  return { id: user.id, username, cookie: `sid=${await createSession(db, user.id)}` };
}

/** Creates a room with the given access and members. */
export async function room(
  db: Kysely<Database>,
  slug: string,
  options: {
    kind?: RoomKind;
    adminsOnly?: boolean;
    readAccess?: "all" | "admins";
    guestsAllowed?: boolean;
    members?: Person[];
  } = {},
): Promise<Room> {
  const created = await db.insertInto("rooms").values({
    id: newId(),
    slug,
    name: slug,
    kind: options.kind ?? "open",
    admins_only: options.adminsOnly ?? false,
    read_access: options.readAccess ?? "all",
    guests_allowed: options.guestsAllowed ?? true,
  }).returningAll().executeTakeFirstOrThrow();
  for (const member of options.members ?? []) {
    await db.insertInto("memberships").values({ room_id: created.id, user_id: member.id })
      .execute();
  }
  return created;
}

/**
 * The rooms every access test uses: open, private (mia only), admin-only read by everyone,
 * admin-only read by admins, and an open room that refuses guests.
 */
export async function accessFixture(db: Kysely<Database>) {
  const ada = await person(db, "ada", "admin");
  const mia = await person(db, "mia", "member");
  const nia = await person(db, "nia", "member");
  const gus = await person(db, "gus", "guest");
  await room(db, "lounge");
  await room(db, "secret", { kind: "private", members: [mia] });
  await room(db, "news", { adminsOnly: true, members: [ada] });
  await room(db, "staff", { adminsOnly: true, readAccess: "admins", members: [ada] });
  await room(db, "noguests", { guestsAllowed: false });
  return { ada, mia, nia, gus };
}

/** Who may read each fixture room (GET, SSE, WebSocket); the rest are refused with 403. */
export const READERS: Record<string, string[]> = {
  lounge: ["ada", "mia", "nia", "gus"],
  secret: ["mia"],
  news: ["ada", "mia", "nia", "gus"],
  staff: ["ada"],
  noguests: ["ada", "mia", "nia"],
};

/** Who may post in each fixture room. */
export const POSTERS: Record<string, string[]> = {
  lounge: ["ada", "mia", "nia", "gus"],
  secret: ["mia"],
  news: ["ada"],
  staff: ["ada"],
  noguests: ["ada", "mia", "nia"],
};
