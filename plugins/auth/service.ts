import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database, User } from '../../db/types.js'
import type { Audit } from '../audit.js'
import type { EventBus } from '../events.js'
import { AppError } from '../errors.js'
import { isUsableCurve25519Key } from '../crypto/sodium.js'
import type { PasswordHasher } from './argon2.js'
import { passwordProblem } from './password-policy.js'
import {
  findUserById, findUserByUsername, insertUser, recordFailedLogin, resetFailedLogins, settingsOf, usernameExists
} from './accounts.js'
import { createSession, findActiveSession, invalidateSession, touchSession } from './sessions.js'

/** Where a request came from; kept only for users who opted in to connection metadata. */
export interface ClientInfo {
  ip: string
  userAgent?: string
}

/** Who an authenticated request or socket belongs to. */
export interface AuthContext {
  userId: string
  sessionId: string
  /** When the credential stops being valid (ms). */
  expiresAt: number
}

export interface TokenCodec {
  sign: (payload: { sub: string, sid: string }, ttlSeconds: number) => string
  /** The verified claims; throws fast-jwt's error for a bad, tampered or expired token. */
  verify: (token: string) => { sub: string, sid: string, exp: number }
}

export interface AuthServiceDeps {
  db: Kysely<Database>
  hasher: PasswordHasher
  audit: Audit
  events: EventBus
  tokens: TokenCodec
  tokenTtlSeconds: number
  lockout: { maxAttempts: number, lockMs: number }
  now?: () => number
}

// A session's last activity is written at most this often, not on every request.
const TOUCH_INTERVAL_MS = 60_000

export function decodePublicKey (publicKey: string): string {
  const bytes = Buffer.from(publicKey, 'base64')
  if (bytes.toString('base64') !== publicKey || !isUsableCurve25519Key(bytes)) {
    throw new AppError('invalid_public_key', 'publicKey must be a base64 Curve25519 public key of 32 bytes')
  }
  return publicKey
}

/** Registration, login, logout and token checks: everything that decides who a caller is. */
export function createAuthService (deps: AuthServiceDeps) {
  const { db, hasher, audit, events, tokens, lockout } = deps
  const now = deps.now ?? Date.now

  function metadataFor (user: Pick<User, 'security_settings'>, client: ClientInfo) {
    return settingsOf(user).storeConnectionMetadata ? { ip: client.ip, userAgent: client.userAgent ?? null } : { ip: null, userAgent: null }
  }

  async function issueSession (user: User, client: ClientInfo, deviceLabel?: string) {
    const expiresAt = now() + deps.tokenTtlSeconds * 1000
    const metadata = metadataFor(user, client)
    const { sessionId, tokenId } = await createSession(db, {
      userId: user.id, expiresAt, deviceLabel, ipAddress: metadata.ip, userAgent: metadata.userAgent
    }, now())
    const token = tokens.sign({ sub: user.id, sid: tokenId }, deps.tokenTtlSeconds)
    return { token, expiresAt, sessionId, user: { id: user.id, username: user.username } }
  }

  return {
    async register (input: { username: string, password: string, publicKey: string }) {
      const problem = passwordProblem(input.password, input.username)
      if (problem !== null) throw new AppError('weak_password', problem)
      const publicKey = decodePublicKey(input.publicKey)
      if (await usernameExists(db, input.username)) throw new AppError('username_taken')
      const passwordHash = await hasher.hash(input.password)
      const id = randomUUID()
      const at = now()
      try {
        await insertUser(db, {
          id, username: input.username, password_hash: passwordHash, public_key: publicKey,
          created_at: at, key_rotation_date: at, last_password_change: at, last_seen: null,
          last_failed_login: null, account_locked_until: null
        })
      } catch (err) {
        // Two registrations raced for one name: the loser gets the same answer as above.
        if (String((err as { code?: string }).code).startsWith('SQLITE_CONSTRAINT')) throw new AppError('username_taken')
        throw err
      }
      // A new account has not opted in to connection metadata, so no address is kept.
      await audit.record({ userId: id, type: 'register' })
      return { id, username: input.username }
    },

    async login (input: { username: string, password: string, deviceLabel?: string }, client: ClientInfo) {
      const user = await findUserByUsername(db, input.username)
      if (user === undefined) {
        await hasher.verifyDecoy(input.password)
        events.emit('auth.login_failed', { ip: client.ip, reason: 'unknown_user' })
        await audit.record({ userId: null, type: 'login_failure', data: { reason: 'unknown_user' } })
        throw new AppError('invalid_credentials')
      }
      const ip = metadataFor(user, client).ip
      const lockedUntil = user.account_locked_until ?? 0
      if (lockedUntil > now()) {
        events.emit('auth.login_failed', { ip: client.ip, reason: 'locked' })
        throw lockedError(lockedUntil, now())
      }
      if (!(await hasher.verify(user.password_hash, input.password))) {
        events.emit('auth.login_failed', { ip: client.ip, reason: 'wrong_password' })
        const lockedNow = await recordFailedLogin(db, user.id, now(), lockout.maxAttempts, lockout.lockMs)
        await audit.record({ userId: user.id, type: 'login_failure', data: { reason: 'wrong_password' }, ip })
        if (lockedNow !== null) {
          await audit.record({ userId: user.id, type: 'account_locked', data: { until: lockedNow }, ip })
          throw lockedError(lockedNow, now())
        }
        throw new AppError('invalid_credentials')
      }
      if (user.failed_login_attempts > 0 || user.account_locked_until !== null) await resetFailedLogins(db, user.id)
      const session = await issueSession(user, client, input.deviceLabel)
      await audit.record({ userId: user.id, type: 'login_success', data: { sessionId: session.sessionId }, ip })
      return session
    },

    /**
     * Checks a bearer token: signature, expiry, and that its session is still valid, so logout and
     * revocation take effect at once. Throws an AppError naming what is wrong.
     */
    async authenticate (token: string | undefined): Promise<AuthContext> {
      if (token === undefined || token === '') throw new AppError('unauthorized')
      let claims: { sub: string, sid: string, exp: number }
      try {
        claims = tokens.verify(token)
      } catch (err) {
        if ((err as { code?: string }).code === 'FAST_JWT_EXPIRED') throw new AppError('token_expired')
        throw new AppError('invalid_token')
      }
      if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') throw new AppError('invalid_token')
      const at = now()
      const session = await findActiveSession(db, claims.sid, at)
      if (session === undefined || session.user_id !== claims.sub) throw new AppError('session_revoked')
      if (at - session.last_activity > TOUCH_INTERVAL_MS) await touchSession(db, session.id, at)
      return { userId: session.user_id, sessionId: session.id, expiresAt: Math.min(session.expires_at, claims.exp * 1000) }
    },

    async logout (auth: AuthContext) {
      if (await invalidateSession(db, auth.sessionId)) {
        events.emit('session.revoked', { userId: auth.userId, sessionId: auth.sessionId, reason: 'logout' })
        await audit.record({ userId: auth.userId, type: 'logout', data: { sessionId: auth.sessionId } })
      }
    },

    /**
     * Confirms a signed-in user's identity before a destructive action (account deletion, 2FA
     * changes): the password, and the second factor when it is on. Throws invalid_credentials.
     */
    async verifyUserCredentials (userId: string, proof: { password: string, code?: string }): Promise<void> {
      const user = await findUserById(db, userId)
      if (user === undefined || !(await hasher.verify(user.password_hash, proof.password))) {
        throw new AppError('invalid_credentials', 'The password is not correct')
      }
    },

    findUserById: (id: string) => findUserById(db, id)
  }
}

function lockedError (until: number, now: number) {
  const retryAfter = Math.max(1, Math.ceil((until - now) / 1000))
  return new AppError('account_locked', `Too many failed logins; try again in ${retryAfter} s`, { 'retry-after': String(retryAfter) })
}

export type AuthService = ReturnType<typeof createAuthService>
