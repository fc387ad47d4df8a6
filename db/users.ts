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

/** Finds a user by id (admin pages name people by id). */
export async function findUserById(db: Kysely<Database>, id: string) {
  return await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst() ??
    null;
}

/** Finds an active user by name, case-insensitively. */
export async function findUserByName(db: Kysely<Database>, username: string) {
  return await db.selectFrom("users").selectAll()
    .where(sql<string>`lower(username)`, "=", username.toLowerCase())
    .executeTakeFirst() ?? null;
}

/** What a new account starts with; the role is worked out when left out (insertUser). */
export interface NewAccount {
  username: string;
  passwordHash: string | null;
  role?: Role;
  email?: string | null;
  invitationId?: string | null;
}

/**
 * Creates a user; the first account with a password becomes admin. An advisory lock
 * serialises signups so two first accounts cannot both become admin.
 */
export async function createUser(
  db: Kysely<Database>,
  input: NewAccount,
): Promise<User | "taken"> {
  try {
    return await db.transaction().execute(async (trx) => {
      await lockSignups(trx);
      return await insertUser(trx, input);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return "taken";
    throw error;
  }
}

/** Serialises sign-ups for the rest of the transaction (the first-admin rule needs it). */
export async function lockSignups(trx: Kysely<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('chat.signup'))`.execute(trx);
}

/** True when no admin exists yet: the next account with a password founds the instance. */
export async function noAdminYet(db: Kysely<Database>): Promise<boolean> {
  return !await db.selectFrom("users").select("id").where("role", "=", "admin")
    .executeTakeFirst();
}

/** Inserts the account inside the caller's transaction, after lockSignups. */
export async function insertUser(trx: Kysely<Database>, input: NewAccount): Promise<User> {
  const role = input.role ??
    (input.passwordHash === null ? "guest" : await noAdminYet(trx) ? "admin" : "member");
  return await trx.insertInto("users").values({
    id: newId(),
    username: input.username,
    display_name: input.username,
    password_hash: input.passwordHash,
    role,
    email: input.email ?? null,
    invitation_id: input.invitationId ?? null,
  }).returningAll().executeTakeFirstOrThrow();
}

/** True for Postgres's unique-violation error (a name taken between check and insert). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === "23505";
}

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,}$/;

/** Why an email address cannot be stored (empty is fine: it is optional), or null. */
export function emailProblem(email: string): string | null {
  if (!email) return null;
  if (email.length > 254 || !EMAIL.test(email)) {
    return "Email must be an address like ana@example.com";
  }
  return null;
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
