import { type Kysely, sql } from "kysely";
import { recordAudit } from "./audit.ts";
import { notifyMemberAccess } from "./events.ts";
import type { Registration } from "./registration.ts";
import type { Database, User } from "./schema.ts";

/** Who may create rooms: everyone signed in, members and admins (no guests), or admins. */
export type RoomCreators = "everyone" | "members" | "admins";

/** Instance-wide settings every instance reads from the table, so all agree. */
export interface InstanceSettings {
  guestsEnabled: boolean;
  roomCreators: RoomCreators;
  /** Who may sign up; null until an admin chooses (config.registration applies meanwhile). */
  registration?: Registration | null;
}

/** What an instance does before any admin changed anything. */
export const DEFAULT_SETTINGS: InstanceSettings = {
  guestsEnabled: true,
  roomCreators: "everyone",
  registration: null,
};

/** The settings (one primary-key read; a missing row means the defaults). */
export async function readSettings(db: Kysely<Database>): Promise<InstanceSettings> {
  const row = await db.selectFrom("settings").selectAll().where("id", "=", 1).executeTakeFirst();
  if (!row) return DEFAULT_SETTINGS;
  return {
    guestsEnabled: row.guests_enabled,
    roomCreators: row.room_creators,
    registration: row.registration,
  };
}

/** The registration mode in force: the admin's choice, else the configured default. */
export function registrationOf(settings: InstanceSettings, fallback: Registration): Registration {
  return settings.registration ?? fallback;
}

/** Saves the settings and records who changed them, in one transaction. */
export async function saveSettings(
  db: Kysely<Database>,
  actor: User,
  next: InstanceSettings,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const values = {
      guests_enabled: next.guestsEnabled,
      room_creators: next.roomCreators,
      // Left out, an earlier choice (or the configured default) stays.
      ...(next.registration ? { registration: next.registration } : {}),
    };
    await trx.insertInto("settings").values({ id: 1, ...values })
      .onConflict((oc) => oc.column("id").doUpdateSet(values)).execute();
    // Turning guests off ends their open streams on every instance (rooms refuse them now).
    if (!next.guestsEnabled) {
      await sql`select ${notifyMemberAccess()}
        from memberships m join users u on u.id = m.user_id where u.role = 'guest'`.execute(trx);
    }
    const detail = `guests ${next.guestsEnabled ? "allowed" : "refused"}, ` +
      `rooms created by ${next.roomCreators}` +
      (next.registration ? `, registration ${next.registration}` : "");
    await recordAudit(trx, { actor, action: "change settings", target: "instance", detail });
  });
}

/** Why this person may not create a room under the settings, or null. */
export function creationRefusal(settings: InstanceSettings, user: User): string | null {
  if (settings.roomCreators === "admins" && user.role !== "admin") {
    return "Only admins can create rooms here";
  }
  if (settings.roomCreators === "members" && user.role === "guest") {
    return "Guests cannot create rooms here: sign up to create one";
  }
  return null;
}
