import fp from 'fastify-plugin'
import jwt from '@fastify/jwt'
import type { FastifyRequest } from 'fastify'
import { seconds } from '../config.js'
import { createPasswordHasher } from './argon2.js'
import { createAuthService, type AuthContext, type AuthService } from './service.js'
import { loadServerKeys } from './server-key.js'

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthService
    /** onRequest hook for routes that need a signed-in caller; fills `request.auth`. */
    authenticate: (request: FastifyRequest) => Promise<void>
  }
  interface FastifyRequest {
    /** The authenticated caller, set by `fastify.authenticate`; null on public routes. */
    auth: AuthContext | null
  }
}

/**
 * The credential in an Authorization header: undefined when there is none, the token of a
 * `Bearer …` header, or the whole header otherwise (which then fails verification as invalid).
 */
export function bearerToken (header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  return /^Bearer (\S+)$/.exec(header)?.[1] ?? header
}

export default fp(async function authPlugin (app) {
  const { config } = app
  await app.register(jwt, {
    secret: config.jwtSecret,
    // Only our own algorithm: `alg: none` and algorithm-confusion tokens fail verification.
    sign: { algorithm: 'HS256' },
    verify: { algorithms: ['HS256'] }
  })
  const hasher = createPasswordHasher({
    memoryKib: config.ARGON2_MEMORY_KIB,
    timeCost: config.ARGON2_TIME_COST,
    parallelism: config.ARGON2_PARALLELISM,
    maxConcurrent: config.ARGON2_MAX_CONCURRENT,
    priority: config.ARGON2_PRIORITY,
    dutyCycle: config.ARGON2_DUTY_CYCLE
  })
  app.addHook('onClose', async () => { await hasher.close() })
  const service = createAuthService({
    db: app.db,
    hasher,
    audit: app.audit,
    events: app.events,
    tokens: {
      // The expiry goes in the claims, not in sign options: with options, @fastify/jwt builds a
      // new signer and key object for every token, a tenth of a sign-in's event-loop time.
      sign: (payload, ttlSeconds) => {
        const iat = Math.floor(Date.now() / 1000)
        return app.jwt.sign({ ...payload, iat, exp: iat + ttlSeconds })
      },
      verify: (token) => app.jwt.verify(token)
    },
    policy: {
      mode: config.AUTH_TOKEN_MODE,
      accessTtlSeconds: seconds(config.ACCESS_TOKEN_TTL),
      sessionTtlSeconds: seconds(config.SESSION_TTL),
      singleTtlSeconds: seconds(config.JWT_TTL)
    },
    lockout: { maxAttempts: config.LOCKOUT_MAX_ATTEMPTS, lockMs: seconds(config.LOCKOUT_DURATION) * 1000 },
    keys: loadServerKeys(config, (msg) => app.log.warn(msg)),
    totpIssuer: config.TOTP_ISSUER,
    challengeTtlMs: seconds(config.AUTH_CHALLENGE_TTL) * 1000,
    passwordReminderMs: seconds(config.PASSWORD_REMINDER_AGE) * 1000
  })
  app.decorate('auth', service)
  app.decorateRequest('auth', null)
  app.decorate('authenticate', async (request: FastifyRequest) => {
    request.auth = await service.authenticate(bearerToken(request.headers.authorization))
  })
}, { name: 'auth', dependencies: ['config', 'db', 'audit', 'events'] })
