import { type Kysely, sql } from "kysely";
import { monotonicFactory } from "ulid";
import type { Database, Role, User } from "./schema.ts";

/** Shared id source: ULIDs sort by creation time, monotonic within one process. */
export const newId = monotonicFactory();

const USERNAME = /^[A-Za-z0-9_.-]{2,32}$/;

/** Why a username cannot be used, or null. */
export function usernameProblem(username: string): string | null {
  if (username.length < 2) return "Username must be at least 2 characters";
  if (username.length > 32) return "Username must be at most 32 characters";
  if (!USERNAME.test(username)) {
    return "Username may use only letters, digits, dot, dash and underscore";
  }
  return null;
}

/** Finds an active user by name, case-insensitively. */
export async function findUserByName(db: Kysely<Database>, username: string) {
  return await db.selectFrom("users").selectAll()
    .where(sql<string>`lower(username)`, "=", username.toLowerCase())
    .executeTakeFirst() ?? null;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === "23505";
}

/**
 * Creates a user; the first account with a password becomes admin. An advisory lock
 * serialises signups so two first accounts cannot both become admin.
 */
export async function createUser(
  db: Kysely<Database>,
  input: { username: string; passwordHash: string | null; role?: Role },
): Promise<User | "taken"> {
  try {
    return await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('chat.signup'))`.execute(trx);
      const role = input.role ?? await firstAccountRole(trx, input.passwordHash);
      return await trx.insertInto("users").values({
        id: newId(),
        username: input.username,
        display_name: input.username,
        password_hash: input.passwordHash,
        role,
      }).returningAll().executeTakeFirstOrThrow();
    });
  } catch (error) {
    if (isUniqueViolation(error)) return "taken";
    throw error;
  }
}

async function firstAccountRole(db: Kysely<Database>, passwordHash: string | null): Promise<Role> {
  if (passwordHash === null) return "guest";
  const admin = await db.selectFrom("users").select("id").where("role", "=", "admin")
    .executeTakeFirst();
  return admin ? "member" : "admin";
}

const ADJECTIVES = [
  "brave",
  "calm",
  "eager",
  "fuzzy",
  "gentle",
  "happy",
  "jolly",
  "kind",
  "lucky",
  "merry",
  "quick",
  "sunny",
  "swift",
  "witty",
  "zesty",
];
const ANIMALS = [
  "otter",
  "panda",
  "heron",
  "lynx",
  "koala",
  "badger",
  "falcon",
  "gecko",
  "ibis",
  "lemur",
  "marten",
  "orca",
  "puffin",
  "quokka",
  "wombat",
];

/** A readable random nickname such as `sunny-otter-42`. */
export function randomNickname(): string {
  const pick = (list: string[]) => list[Math.floor(Math.random() * list.length)];
  return `${pick(ADJECTIVES)}-${pick(ANIMALS)}-${Math.floor(Math.random() * 90 + 10)}`;
}
