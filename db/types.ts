import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

/**
 * The database as kysely sees it. Times are integer milliseconds since the epoch; booleans are
 * 0/1 integers, so the same queries run on SQLite and PostgreSQL. Each plugin owns the queries
 * on its tables; this file only describes them.
 */
export interface Database {
  users: UsersTable
  sessions: SessionsTable
  security_events: SecurityEventsTable
  // relay tables
  messages: MessagesTable
  relay_cursors: RelayCursorsTable
  delivery_cursors: DeliveryCursorsTable
  // privacy and data lifecycle tables
  audit_chains: AuditChainsTable
  // account security tables
  refresh_tokens: RefreshTokensTable
  recovery_codes: RecoveryCodesTable
  auth_challenges: AuthChallengesTable
}

export interface UsersTable {
  id: string
  username: string
  password_hash: string
  /** Curve25519 public key for E2EE, base64. */
  public_key: string
  created_at: number
  last_seen: number | null
  data_retention_days: Generated<number>
  two_factor_enabled: Generated<number>
  failed_login_attempts: Generated<number>
  last_failed_login: number | null
  account_locked_until: number | null
  key_rotation_date: number
  last_password_change: number
  /** JSON of UserSettings (see schemas/accounts.ts). */
  security_settings: Generated<string>
  /** The confirmed TOTP secret, sealed under the server key (never in the clear). */
  totp_secret: ColumnType<string | null, string | null | undefined, string | null>
  /** A TOTP secret from setup not yet confirmed by a code, sealed likewise. */
  totp_pending_secret: ColumnType<string | null, string | null | undefined, string | null>
  /** The last TOTP time step accepted: a code of that step or earlier is refused (no reuse). */
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>
  /** Ed25519 public key for key-pair login, base64. */
  signing_key: ColumnType<string | null, string | null | undefined, string | null>
}

export interface SessionsTable {
  id: string
  user_id: string
  /** SHA-256 of the token id carried in the JWT: a stolen database yields no usable token. */
  token_hash: string
  created_at: number
  expires_at: number
  last_activity: number
  ip_address: string | null
  user_agent: string | null
  device_label: string | null
  is_valid: Generated<number>
}

export interface SecurityEventsTable {
  id: Generated<number>
  user_id: string | null
  event_type: string
  /** JSON; never a secret. */
  event_data: ColumnType<string, string | undefined, string>
  ip_address: string | null
  created_at: number
  // privacy: the hash chain (see db/migrations/003-privacy.ts)
  /** Position in its chain (the user's, or the system chain when user_id is null), from 1. */
  chain_seq: number
  prev_hash: string
  /** SHA-256 of the event's fields; survives the purge of those fields. */
  digest: string
  hash: string
  /** 1 once retention erased the fields; the row stays only while an older event still needs the link. */
  purged: Generated<number>
}

// privacy and data lifecycle tables
export interface AuditChainsTable {
  id: Generated<number>
  /** Null for the system chain (events about no account). */
  user_id: string | null
  head_seq: number
  head_hash: string
  /** The last event purged from the chain's start (0 and the genesis hash until one is). */
  anchor_seq: number
  anchor_hash: string
}

// account security tables
export interface RefreshTokensTable {
  id: string
  user_id: string
  session_id: string
  /** SHA-256 of the opaque refresh token. */
  token_hash: string
  created_at: number
  expires_at: number
  /** When it was exchanged for a new pair; presenting it again is theft. */
  used_at: number | null
}

export interface RecoveryCodesTable {
  id: Generated<number>
  user_id: string
  /** BLAKE2b-256 of the normalised code (80 random bits: not guessable from the hash). */
  code_hash: string
  created_at: number
  used_at: number | null
}

/** Not tied to users.id: challenges are issued for unknown names too, so they reveal nothing. */
export interface AuthChallengesTable {
  /** SHA-256 of the challenge. */
  challenge_hash: string
  /** Lower-case username the challenge was issued for. */
  username: string
  created_at: number
  expires_at: number
}

// relay tables
/** The offline queue: ciphertext and envelope only, deleted when a recipient device acks it. */
export interface MessagesTable {
  id: string
  sender_id: string
  recipient_id: string
  /** Per-recipient sequence number, increasing in routing order. */
  seq: number
  /** Ciphertext, its bytes (base64 on the wire). */
  message: Buffer
  nonce: string
  mac: string
  ephemeral_key: string
  /** The sender's timestamp (ms). */
  timestamp: number
  /** When the server accepted it (ms): retention counts from here. */
  created_at: number
}

export interface RelayCursorsTable {
  user_id: string
  /** Last sequence number given to a message for this user. */
  last_seq: Generated<number>
  /** Messages dropped while the user had no device, for the first device to be told of. */
  dropped: Generated<number>
}

export interface DeliveryCursorsTable {
  /** A session that has connected to the relay: one device. */
  session_id: string
  user_id: string
  /** Every message to the user up to this seq reached this device (or predates it). */
  acked_seq: Generated<number>
  /** Messages dropped (expired, over quota) before reaching this device, not yet told of. */
  dropped: Generated<number>
}

export type QueuedMessage = Selectable<MessagesTable>

export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type Session = Selectable<SessionsTable>
