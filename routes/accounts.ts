import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { errorResponses } from '../schemas/common.js'
import { LoginBody, LoginReply, RegisterBody, UserRef } from '../schemas/accounts.js'
import { seconds } from '../plugins/config.js'
import { AppError } from '../plugins/errors.js'

const accounts: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app
  const timeWindow = seconds(config.RATE_LIMIT_WINDOW) * 1000
  // Per client address on the route, and per target username below: a botnet spreading guesses
  // over many addresses still meets the per-account limit (and the lockout).
  const perAddress = { rateLimit: { max: config.AUTH_RATE_LIMIT_MAX, timeWindow } }
  const perUsername = app.createRateLimit({
    max: config.AUTH_RATE_LIMIT_MAX,
    timeWindow,
    keyGenerator: (request) => `${request.routeOptions.url}:${String((request.body as { username?: unknown }).username).toLowerCase()}`
  })
  async function limitPerUsername (request: Parameters<typeof perUsername>[0]) {
    const verdict = await perUsername(request)
    if (!verdict.isAllowed && verdict.isExceeded) {
      throw new AppError('rate_limited', 'Too many attempts for this username', { 'retry-after': String(Math.ceil(verdict.ttlInSeconds)) })
    }
  }

  app.post('/register', {
    schema: {
      summary: 'Create an account', tags: ['accounts'], body: RegisterBody,
      response: { 201: Type.Ref(UserRef), ...errorResponses(400, 409, 413, 415, 429) }
    },
    config: perAddress,
    preHandler: limitPerUsername
  }, async (request, reply) => {
    const user = await app.auth.register(request.body)
    return reply.code(201).send(user)
  })

  app.post('/login', {
    schema: {
      summary: 'Sign in with a password', tags: ['accounts'], body: LoginBody,
      response: { 200: LoginReply, ...errorResponses(400, 401, 413, 415, 423, 429) }
    },
    config: perAddress,
    preHandler: limitPerUsername
  }, async (request) => {
    const { token, expiresAt, user } = await app.auth.login(request.body, { ip: request.ip, userAgent: request.headers['user-agent'] })
    return { token, expiresAt, user }
  })

  app.post('/logout', {
    schema: {
      summary: 'End the current session', tags: ['accounts'], security: [{ bearer: [] }],
      response: { 204: Type.Null({ description: 'Signed out' }), ...errorResponses(401, 429) }
    },
    onRequest: app.authenticate
  }, async (request, reply) => {
    await app.auth.logout(request.auth!)
    return reply.code(204).send(null)
  })
}

export default accounts
