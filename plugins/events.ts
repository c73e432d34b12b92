import { EventEmitter } from 'node:events'
import fp from 'fastify-plugin'

/**
 * What plugins tell each other. A plugin that owns a fact emits it; the others react without
 * reaching into its tables. Add an event here with its payload type, then emit and listen.
 */
export interface ServerEvents {
  /** A session ended (logout, revocation, theft detection): its live sockets must close. */
  'session.revoked': { userId: string, sessionId: string, reason: string }
  /** Every session of a user ended (password change ends the others: see `exceptSessionId`). */
  'user.sessions_revoked': { userId: string, exceptSessionId?: string, reason: string }
  /** An account and everything of it was deleted. */
  'user.deleted': { userId: string }
  /** A user published a new public key. */
  'user.key_changed': { userId: string, publicKey: string, keyRotationDate: number }
  /** A user changed settings that other plugins act on (presence visibility, retention). */
  'user.settings_changed': { userId: string }
  /** A password login failed: the client address is for the fail2ban log line only, never stored. */
  'auth.login_failed': { ip: string, reason: 'unknown_user' | 'wrong_password' | 'locked' | 'totp_required' | 'totp_invalid' | 'bad_signature' }
}

export type EventName = keyof ServerEvents

/** A typed, synchronous event bus. Listeners must not throw; a throwing listener is logged. */
export function createEventBus (onListenerError: (err: unknown, event: EventName) => void = () => {}) {
  const emitter = new EventEmitter()
  emitter.setMaxListeners(50)
  return {
    emit<E extends EventName> (event: E, payload: ServerEvents[E]): void {
      for (const listener of emitter.listeners(event)) {
        try {
          listener(payload)
        } catch (err) {
          onListenerError(err, event)
        }
      }
    },
    on<E extends EventName> (event: E, listener: (payload: ServerEvents[E]) => void): () => void {
      emitter.on(event, listener)
      return () => emitter.off(event, listener)
    }
  }
}

export type EventBus = ReturnType<typeof createEventBus>

declare module 'fastify' {
  interface FastifyInstance {
    events: EventBus
  }
}

export default fp(async function eventsPlugin (app) {
  app.decorate('events', createEventBus((err, event) => app.log.error({ err, event }, 'event listener failed')))
}, { name: 'events' })
