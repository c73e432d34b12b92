import { Type, type Static } from '@sinclair/typebox'

const Positive = (def: number, extra: { maximum?: number } = {}) =>
  Type.Integer({ minimum: 1, default: def, ...extra })
/** A duration such as `900`, `15m`, `24h` or `30d` (a bare number is seconds). */
const Duration = (def: string) => Type.String({ pattern: '^[0-9]+[smhd]?$', default: def, description: 'a duration such as 900, 30s, 15m, 24h or 7d' })

/**
 * Every environment variable the server reads, with its type and default. The keys are the
 * variable names, so an error names exactly what the operator has to fix.
 */
export const ConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], { default: 'development' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3001 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  DATABASE_FILE: Type.Optional(Type.String({ minLength: 1 })),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  JWT_TTL: Duration('24h'),
  CLIENT_URL: Type.String({ pattern: '^https?://[^/]+$', default: 'http://localhost:3000', description: 'an origin such as https://chat.example.org' }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
  LOG_FILE: Type.Optional(Type.String({ minLength: 1 })),
  TRUST_PROXY: Type.String({ pattern: '^(true|false|[0-9]+|[0-9a-fA-F.:/, ]+)$', default: 'false', description: 'true, false, a number of hops, or trusted addresses/CIDRs separated by commas' }),
  ARGON2_MEMORY_KIB: Type.Integer({ minimum: 8, maximum: 4194304, default: 19456 }),
  ARGON2_TIME_COST: Positive(2, { maximum: 100 }),
  ARGON2_PARALLELISM: Positive(1, { maximum: 16 }),
  ARGON2_MAX_CONCURRENT: Positive(1, { maximum: 64 }),
  ARGON2_PRIORITY: Type.Union([Type.Literal('idle'), Type.Literal('normal')], { default: 'idle', description: 'idle: hashing threads take only CPU time nothing else wants' }),
  ARGON2_DUTY_CYCLE: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.5, description: 'the share of its time each hashing thread spends hashing; it rests in proportion after each hash' }),
  LOCKOUT_MAX_ATTEMPTS: Positive(5),
  LOCKOUT_DURATION: Duration('15m'),
  RATE_LIMIT_MAX: Positive(300),
  RATE_LIMIT_WINDOW: Duration('1m'),
  AUTH_RATE_LIMIT_MAX: Positive(20),
  BODY_LIMIT: Positive(65536, { maximum: 10485760 }),
  // relay
  /** Largest ciphertext of one message, in bytes (frames are limited to its base64 plus the envelope). */
  RELAY_MAX_CIPHERTEXT_BYTES: Positive(65536, { maximum: 16777216 }),
  /** Messages whose timestamp is further than this from the server's clock are refused as stale. */
  RELAY_REPLAY_WINDOW: Duration('5m'),
  /** Most (sender, nonce) pairs remembered for replay detection; past it the window narrows. */
  RELAY_REPLAY_MEMORY: Positive(200000, { maximum: 10_000_000 }),
  /** Token bucket per user for private messages: the burst, and the refill per second. */
  RELAY_RATE_BURST: Positive(500),
  RELAY_RATE_PER_SECOND: Type.Number({ exclusiveMinimum: 0, default: 100 }),
  RELAY_HEARTBEAT_MS: Positive(30000),
  /** How long a socket without an Authorization header has to send its `auth` frame. */
  RELAY_AUTH_TIMEOUT_MS: Positive(5000),
  /** How long a message sent to a live device waits for its ack before it is stored instead. */
  RELAY_ACK_TIMEOUT_MS: Positive(10000),
  /** Bytes a connection may have waiting in its send buffer before it counts as a slow reader. */
  RELAY_MAX_BUFFERED_BYTES: Positive(1048576),
  /** Most queued messages per recipient; the oldest beyond it are dropped (and the recipient told). */
  RELAY_QUEUE_QUOTA: Positive(10000),
  /** Queue writes are batched into one transaction at most this many milliseconds apart. */
  RELAY_FLUSH_MS: Positive(5, { maximum: 1000 }),
  /** Malformed frames in a row before a connection is closed with 1008. */
  RELAY_INVALID_FRAME_LIMIT: Positive(10),
  // relay: Socket.IO shim (its ping interval is RELAY_HEARTBEAT_MS, its CONNECT deadline RELAY_AUTH_TIMEOUT_MS)
  /** How long a Socket.IO client has to answer a ping before its socket is cut (Engine.IO pingTimeout). */
  SOCKETIO_PING_TIMEOUT_MS: Positive(20000),
  // privacy and data lifecycle
  /** How often the retention purge runs in the server; 0 turns the timer off (run `npm run purge` from cron instead). */
  PURGE_INTERVAL: Duration('1h'),
  /** How long security events are kept, unless AUDIT_RETENTION_BY_TYPE names their type. */
  AUDIT_RETENTION: Duration('90d'),
  AUDIT_RETENTION_BY_TYPE: Type.String({
    pattern: '^([a-z_]+=[0-9]+[smhd]?(,[a-z_]+=[0-9]+[smhd]?)*)?$',
    default: 'login_success=30d,rate_limited=30d,invalid_token=30d',
    description: 'event type=duration pairs separated by commas, such as login_success=30d,account_deleted=365d'
  }),
  /** Rotated log files (beside LOG_FILE) older than this are deleted by the purge. */
  LOG_RETENTION: Duration('14d'),
  /** Backup encryption key: 32 random bytes, base64 (`openssl rand -base64 32`). */
  BACKUP_KEY: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$', description: '32 random bytes, base64' })),
  /** Or a passphrase, stretched by Argon2id (used when BACKUP_KEY is not set). */
  BACKUP_PASSPHRASE: Type.Optional(Type.String({ minLength: 12, description: 'at least 12 characters' })),
  BACKUP_KDF_MEMORY_KIB: Type.Integer({ minimum: 8, maximum: 4194304, default: 65536 }),
  BACKUP_KDF_TIME_COST: Positive(3, { maximum: 100 }),
  /** How often the server writes an encrypted backup into BACKUP_DIR; 0 (the default) means never. */
  BACKUP_INTERVAL: Duration('0'),
  /** Where scheduled backups go; defaults to DATA_DIR/backups. */
  BACKUP_DIR: Type.Optional(Type.String({ minLength: 1 })),
  /** How many scheduled backups are kept: older ones are deleted, and with them what they held. */
  BACKUP_KEEP: Positive(7, { maximum: 1000 }),
  // account security
  /** `refresh`: short access tokens plus rotating refresh tokens; `single`: one JWT_TTL token, no refresh. */
  AUTH_TOKEN_MODE: Type.Union([Type.Literal('refresh'), Type.Literal('single')], { default: 'refresh' }),
  ACCESS_TOKEN_TTL: Duration('15m'),
  /** How long a session (and so its refresh token chain) lives in refresh mode, however often it refreshes. */
  SESSION_TTL: Duration('30d'),
  /** Secret the server key for TOTP secrets and recovery codes derives from; else a key file in DATA_DIR. */
  TOTP_ENCRYPTION_KEY: Type.Optional(Type.String({ minLength: 32 })),
  TOTP_ISSUER: Type.String({ minLength: 1, maxLength: 64, default: 'quietwire' }),
  AUTH_CHALLENGE_TTL: Duration('2m'),
  /** A login reply flags a password older than this (a rotation reminder, never a forced change). */
  PASSWORD_REMINDER_AGE: Duration('365d'),
})

export type Config = Static<typeof ConfigSchema> & {
  /** Resolved by the loader: the secret in use, from JWT_SECRET or the generated file. */
  jwtSecret: string
  databaseFile: string
}
