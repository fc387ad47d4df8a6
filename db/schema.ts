import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Roles in order of power; the first account becomes admin. */
export type Role = "admin" | "member" | "guest";
/** open: any signed-in person may join; private: members only; direct: two people. */
export type RoomKind = "open" | "private" | "direct";

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string | null;
  role: Role;
  created_at: CreatedAt;
  deactivated_at: Timestamp | null;
  /** Where reset links go (optional; see db/password_resets.ts). */
  email: string | null;
  /** The invitation link that let this person in (db/invitations.ts), if any. */
  invitation_id: string | null;
  /** A bot (db/bots.ts): no password, acts only through API tokens and webhooks. */
  bot: Generated<boolean>;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface RoomsTable {
  id: string;
  slug: string;
  name: string;
  kind: RoomKind;
  version: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
  archived_at: Timestamp | null;
  /** Only admins may post (an "admin-only" room); see db/migrations/..._0006_admin.ts. */
  admins_only: Generated<boolean>;
  /** Who may read: everyone the kind lets in, or admins only. */
  read_access: Generated<"all" | "admins">;
  guests_allowed: Generated<boolean>;
  /** An admin published its history (db/archive.ts: only while the room may be public). */
  public_archive: Generated<boolean>;
}

export interface MembershipsTable {
  room_id: string;
  user_id: string;
  last_read_version: Generated<number>;
  notify: Generated<"all" | "mentions" | "none">;
  joined_at: CreatedAt;
}

export interface MessagesTable {
  id: string;
  room_id: string;
  author_id: string;
  body: string;
  client_id: string | null;
  seq: number;
  version: number;
  created_at: CreatedAt;
  edited_at: Timestamp | null;
  deleted_at: Timestamp | null;
}

/** A message's earlier body, kept when it is edited or deleted. */
export interface MessageRevisionsTable {
  id: string;
  message_id: string;
  body: string;
  /** When this body was replaced. */
  edited_at: CreatedAt;
  editor_id: string | null;
}

/** An @mention of a person who may read the room; the inbox lists these. */
export interface MentionsTable {
  message_id: string;
  user_id: string;
  room_id: string;
  created_at: CreatedAt;
  read_at: Timestamp | null;
}

/** One person's reaction to a message; toggled by db/reactions.ts. */
export interface ReactionsTable {
  message_id: string;
  user_id: string;
  emoji: string;
  created_at: CreatedAt;
}

export interface LoginFailuresTable {
  key: string;
  at: CreatedAt;
}

/**
 * Who has a live connection to a room, per instance; rows are ephemeral, swept once their
 * instance stops beating. `seen_at` is when the row last gained a connection.
 */
export interface PresenceTable {
  room_id: string;
  user_id: string;
  instance_id: string;
  connections: number;
  seen_at: Generated<Date>;
}

/** A running instance's heartbeat (db/presence.ts `refresh`). */
export interface InstancesTable {
  id: string;
  seen_at: Generated<Date>;
}

/** Instance-wide settings: one row (id 1); a missing row means the defaults. */
export interface SettingsTable {
  id: number;
  guests_enabled: Generated<boolean>;
  room_creators: Generated<"everyone" | "members" | "admins">;
  /** Who may sign up; null: no admin chose yet, the configured default applies. */
  registration: "open" | "invitation" | "closed" | null;
}

/** An invitation link (db/invitations.ts); only a hash of its secret is stored. */
export interface InvitationsTable {
  id: string;
  secret_hash: string;
  created_by: string | null;
  created_by_name: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  /** Null: as many uses as it gets before it expires. */
  max_uses: number | null;
  uses: Generated<number>;
  guests_only: Generated<boolean>;
  revoked_at: Timestamp | null;
}

/** A one-time password reset link (db/password_resets.ts); only its secret's hash is stored. */
export interface PasswordResetsTable {
  id: string;
  secret_hash: string;
  user_id: string;
  /** The admin who made it; null when the person asked by email. */
  created_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

/** A person's private mention feed link (db/feed_tokens.ts): only its secret's hash is kept. */
export interface FeedTokensTable {
  user_id: string;
  secret_hash: string;
  /** When the current link was made (a replacement sets it again). */
  created_at: Generated<Date>;
}

/** A bot's outgoing webhook (db/bots.ts): where its mentions go, and the key that signs them. */
export interface BotsTable {
  user_id: string;
  webhook_url: string | null;
  signing_secret: string;
  created_by: string | null;
  created_at: CreatedAt;
}

/** An API token (db/api_tokens.ts): `<id>.<secret>`, only the secret's hash kept. */
export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  secret_hash: string;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** An incoming webhook (db/webhooks.ts): a secret URL posting to one room as one bot. */
export interface RoomHooksTable {
  id: string;
  room_id: string;
  bot_id: string;
  secret_hash: string;
  created_by: string | null;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
}

/** One mention of a bot to POST to its URL (live/webhook_worker.ts). */
export interface WebhookDeliveriesTable {
  message_id: string;
  bot_id: string;
  status: Generated<"pending" | "delivered" | "failed">;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_status: number | null;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** A file sent with a message (db/files.ts): what it is; its bytes are in file_chunks. */
export interface FilesTable {
  id: string;
  message_id: string;
  room_id: string;
  uploader_id: string;
  name: string;
  /** The type read from its bytes (db/file_types.ts), never the one the client named. */
  type: string;
  size: number;
  /** An image's own size in pixels, read from its header; null for other files. */
  width: number | null;
  height: number | null;
  created_at: CreatedAt;
}

/** A file's bytes, about 256 KB a row, in order (a download reads one row at a time). */
export interface FileChunksTable {
  file_id: string;
  seq: number;
  bytes: Uint8Array;
}

/** One admin action: who, what, on what, when (written in the action's transaction). */
export interface AuditLogTable {
  id: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target: string;
  detail: string | null;
  created_at: CreatedAt;
}

/** The whole database, as Kysely sees it. */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  rooms: RoomsTable;
  memberships: MembershipsTable;
  messages: MessagesTable;
  files: FilesTable;
  file_chunks: FileChunksTable;
  message_revisions: MessageRevisionsTable;
  reactions: ReactionsTable;
  login_failures: LoginFailuresTable;
  presence: PresenceTable;
  instances: InstancesTable;
  mentions: MentionsTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  invitations: InvitationsTable;
  password_resets: PasswordResetsTable;
  feed_tokens: FeedTokensTable;
  bots: BotsTable;
  api_tokens: ApiTokensTable;
  room_hooks: RoomHooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Room = Selectable<RoomsTable>;
export type Message = Selectable<MessagesTable>;
export type MessageRevision = Selectable<MessageRevisionsTable>;
export type Settings = Selectable<SettingsTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type Invitation = Selectable<InvitationsTable>;
