import type { FastifyInstance } from 'fastify'
import type { Relay } from './core.js'

/** What the relay does when other plugins report facts on the event bus. */
export function listenToBus (app: FastifyInstance, relay: Relay) {
  const { events } = app
  events.on('session.revoked', ({ sessionId }) => {
    relay.closeWhere((c) => c.sessionId === sessionId, 'session_revoked', 'The session has ended')
  })
  events.on('user.sessions_revoked', ({ userId, exceptSessionId }) => {
    relay.closeWhere((c) => c.userId === userId && c.sessionId !== exceptSessionId, 'session_revoked', 'The session has ended')
  })
  events.on('user.deleted', ({ userId }) => {
    relay.closeWhere((c) => c.userId === userId, 'session_revoked', 'The account was deleted')
    relay.forgetUser(userId)
  })
  events.on('user.key_changed', ({ userId, publicKey, keyRotationDate }) => {
    relay.broadcast({ type: 'key_changed', data: { userId, publicKey, keyRotationDate } })
  })
}
