import type { Kysely } from "kysely";
import type { Database, Room, User } from "../db/schema.ts";
import { findRoom, slugify } from "../db/rooms.ts";
import { creationRefusal, readSettings } from "../db/settings.ts";

/**
 * Why the admin rules keep this person from reading the room, or null (enterRoom in
 * access.ts calls this; membership is checked there). Settings are read only for guests.
 */
export async function readRefusal(
  db: Kysely<Database>,
  room: Room,
  user: User,
): Promise<string | null> {
  if (room.read_access === "admins" && user.role !== "admin") {
    return `Only admins can read #${room.slug}`;
  }
  if (user.role !== "guest") return null;
  if (!room.guests_allowed) return `Guests cannot enter #${room.slug}: sign up to join it`;
  if (!(await readSettings(db)).guestsEnabled) return "Guests are not allowed here any more";
  return null;
}

/** Why this person cannot post in the room (for the composer after sendMessage refused). */
export function postRefusal(room: Room, user: User): string {
  if (room.archived_at) return `#${room.slug} is archived: nobody can post in it`;
  if (room.admins_only && user.role !== "admin") return `Only admins can post in #${room.slug}`;
  return `You cannot post in #${room.slug} now`;
}

/** Why this person may not create a room of this name now, or null (an existing room is fine). */
export async function creationDenied(
  db: Kysely<Database>,
  user: User,
  name: string,
): Promise<string | null> {
  if (await findRoom(db, slugify(name))) return null;
  return creationRefusal(await readSettings(db), user);
}
