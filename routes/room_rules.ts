import type { Kysely } from "kysely";
import type { Database, Room, User } from "../db/schema.ts";
import { findRoom, slugify } from "../db/rooms.ts";
import { creationRefusal, readSettings } from "../db/settings.ts";

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
