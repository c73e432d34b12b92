import { randomUUID } from 'node:crypto'
import { setImmediate } from 'node:timers/promises'
import type { Kysely } from 'kysely'
import type { Database, User } from '../../db/types.js'
import type { Audit } from '../audit.js'
import type { EventBus } from '../events.js'
import { AppError } from '../errors.js'
import type { PasswordHasher } from './argon2.js'
import { passwordProblem } from './password-policy.js'
import { findUserById, findUserByUsername, insertUser, settingsOf, usernameExists } from './accounts.js'
import { findActiveSession, invalidateSession, touchSession } from './sessions.js'
import { decodePublicKey, decodeSigningKey } from './keys.js'
import { createLoginGuard } from './login-guard.js'
import { createTwoFactor } from './two-factor.js'
import { createRevocation } from './revocation.js'
import { createTokenIssuer, type TokenCodec, type TokenPolicy } from './token-issuer.js'
import { createKeyLogin } from './key-login.js'
import { createDeviceSessions } from './device-sessions.js'
import { createCredentials } from './credentials.js'
import { createInvalidTokenLog } from './invalid-token-log.js'
import type { ServerKeys } from './server-key.js'

export { decodePublicKey } from './keys.js'
export type { TokenCodec } from './token-issuer.js'

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

export interface AuthServiceDeps {
  db: Kysely<Database>
  hasher: PasswordHasher
  audit: Audit
  events: EventBus
  tokens: TokenCodec
  policy: TokenPolicy
  lockout: { maxAttempts: number, lockMs: number }
  keys: ServerKeys
  totpIssuer: string
  challengeTtlMs: number
  /** A password older than this is flagged in the login reply. */
  passwordReminderMs: number
  now?: () => number
}

// A session's last activity is written at most this often, not on every request.
const TOUCH_INTERVAL_MS = 60_000

/** Registration, sign-in (password or key pair, with 2FA), tokens, sessions and credential changes. */
export function createAuthService (deps: AuthServiceDeps) {
  const { db, hasher, audit, events, tokens } = deps
  const now = deps.now ?? Date.now
  const guard = createLoginGuard({ db, audit, events, lockout: deps.lockout, now })
  const twoFactor = createTwoFactor({ db, audit, keys: deps.keys, issuer: deps.totpIssuer, now })
  const revocation = createRevocation({ db, audit, events })
  const issuer = createTokenIssuer({ db, audit, revocation, tokens, policy: deps.policy, now })
  const invalidTokens = createInvalidTokenLog(audit, now)

  function metadataFor (user: Pick<User, 'security_settings'>, client: ClientInfo) {
    return settingsOf(user).storeConnectionMetadata ? { ip: client.ip, userAgent: client.userAgent ?? null } : { ip: null, userAgent: null }
  }

  /** The second factor, the session and the audit record: what every first factor leads to. */
  async function finishLogin (user: User, input: { totp?: string, deviceLabel?: string }, client: ClientInfo, method: 'password' | 'key') {
    const ip = metadataFor(user, client).ip
    const second = await twoFactor.check(user, input.totp)
    if (second === 'missing') await guard.fail(user, 'totp_required', new AppError('totp_required'), { clientIp: client.ip, ip })
    if (second === 'invalid') await guard.fail(user, 'totp_invalid', new AppError('totp_invalid'), { clientIp: client.ip, ip })
    await guard.succeeded(user)
    // A sign-in's work after its hash runs in two turns of the event loop (the checks, then the
    // writes): relay frames that arrive meanwhile wait for one part, not for all of it. The
    // session, its refresh token and the audit record commit together.
    await setImmediate()
    let issued: Awaited<ReturnType<typeof issuer.startSession>>
    try {
      issued = await db.transaction().execute(async (trx) => {
        const started = await issuer.startSession(trx, user, metadataFor(user, client), input.deviceLabel)
        await audit.record({ userId: user.id, type: 'login_success', data: { sessionId: started.sessionId, method, secondFactor: second }, ip }, trx)
        return started
      })
    } catch (err) {
      // The account was deleted after this sign-in read it (while it waited for its hash, say):
      // nothing may refer to it any more.
      if (await findUserById(db, user.id) === undefined) throw new AppError('invalid_credentials')
      throw err
    }
    return {
      ...issued,
      user: { id: user.id, username: user.username },
      passwordChangedAt: user.last_password_change,
      passwordChangeDue: now() - user.last_password_change > deps.passwordReminderMs
    }
  }

  /** The password, and the second factor when on; failures count toward the lockout. */
  async function confirm (userId: string, proof: { password: string, code?: string }): Promise<User> {
    const user = await findUserById(db, userId)
    if (user === undefined) throw new AppError('invalid_credentials', 'The password is not correct')
    guard.assertNotLocked(user)
    const where = { ip: null }
    if (!(await hasher.verify(user.password_hash, proof.password))) {
      await guard.fail(user, 'wrong_password', new AppError('invalid_credentials', 'The password is not correct'), where)
    }
    const second = await twoFactor.check(user, proof.code)
    if (second === 'missing') await guard.fail(user, 'totp_required', new AppError('totp_required'), where)
    if (second === 'invalid') await guard.fail(user, 'totp_invalid', new AppError('totp_invalid'), where)
    return user
  }

  return {
    async register (input: { username: string, password: string, publicKey: string, signingKey?: string }) {
      const problem = passwordProblem(input.password, input.username)
      if (problem !== null) throw new AppError('weak_password', problem)
      const publicKey = decodePublicKey(input.publicKey)
      const signingKey = input.signingKey === undefined ? null : decodeSigningKey(input.signingKey)
      if (await usernameExists(db, input.username)) throw new AppError('username_taken')
      const passwordHash = await hasher.hash(input.password)
      const id = randomUUID()
      const at = now()
      try {
        await insertUser(db, {
          id, username: input.username, password_hash: passwordHash, public_key: publicKey, signing_key: signingKey,
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

    async login (input: { username: string, password: string, totp?: string, deviceLabel?: string }, client: ClientInfo) {
      const user = await findUserByUsername(db, input.username)
      if (user === undefined) {
        await hasher.verifyDecoy(input.password)
        return await guard.unknownUser(client.ip)
      }
      guard.assertNotLocked(user, client.ip)
      if (!(await hasher.verify(user.password_hash, input.password))) {
        await guard.fail(user, 'wrong_password', new AppError('invalid_credentials'), { clientIp: client.ip, ip: metadataFor(user, client).ip })
      }
      return await finishLogin(user, input, client, 'password')
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
        await invalidTokens.record(null, 'invalid')
        throw new AppError('invalid_token')
      }
      if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') throw new AppError('invalid_token')
      const at = now()
      const session = await findActiveSession(db, claims.sid, at)
      if (session === undefined || session.user_id !== claims.sub) {
        // Signed by us, so `sub` is genuine: the owner sees that an ended session's token was tried.
        await invalidTokens.record(claims.sub, 'session_ended')
        throw new AppError('session_revoked')
      }
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
     * changes): the password, and a TOTP or recovery code when 2FA is on. Throws
     * invalid_credentials, totp_required, totp_invalid or account_locked; failures count toward
     * the lockout.
     */
    async verifyUserCredentials (userId: string, proof: { password: string, code?: string }): Promise<void> {
      await confirm(userId, proof)
    },

    /** Exchanges a refresh token for a new pair (see the token issuer). */
    refresh: (refreshToken: string) => issuer.refresh(refreshToken),
    twoFactor,
    keyLogin: createKeyLogin({
      db, guard, now, challengeTtlMs: deps.challengeTtlMs, finish: finishLogin, storedIp: (user, ip) => metadataFor(user, { ip }).ip
    }),
    sessions: createDeviceSessions({ db, revocation, now }),
    credentials: createCredentials({ db, hasher, audit, events, revocation, confirm, now }),
    findUserById: (id: string) => findUserById(db, id),
    /** Whether IP addresses and user agents may be kept (and shown) for this user. */
    storesMetadata: (user: Pick<User, 'security_settings'>) => settingsOf(user).storeConnectionMetadata,
    /** The client address to store with a user's security event: null unless they opted in. */
    async storableIp (userId: string, ip: string): Promise<string | null> {
      const user = await findUserById(db, userId)
      return user === undefined ? null : metadataFor(user, { ip }).ip
    }
  }
}

export type AuthService = ReturnType<typeof createAuthService>
