import type { Kysely } from 'kysely'
import type { Database } from '../../db/types.js'
import type { Audit } from '../audit.js'
import type { EventBus } from '../events.js'
import { invalidateSession, invalidateUserSessions } from './sessions.js'

/**
 * Ending sessions, the one way: the row is invalidated (so its tokens fail at once), the relay
 * hears of it through the event bus and closes the session's sockets, and the audit log records it.
 */
export function createRevocation (deps: { db: Kysely<Database>, audit: Audit, events: EventBus }) {
  const { db, audit, events } = deps
  return {
    /** Ends one session; false when it had ended already. */
    async endSession (userId: string, sessionId: string, reason: string, ip: string | null = null): Promise<boolean> {
      if (!(await invalidateSession(db, sessionId))) return false
      events.emit('session.revoked', { userId, sessionId, reason })
      await audit.record({ userId, type: 'session_revoked', data: { sessionId, reason }, ip })
      return true
    },

    /** Ends every session of the user but `exceptSessionId`; returns how many ended. */
    async endOtherSessions (userId: string, exceptSessionId: string | undefined, reason: string, ip: string | null = null): Promise<number> {
      const ended = await invalidateUserSessions(db, userId, exceptSessionId)
      if (ended.length === 0) return 0
      events.emit('user.sessions_revoked', { userId, exceptSessionId, reason })
      await audit.record({ userId, type: 'session_revoked', data: { sessionIds: ended, reason }, ip })
      return ended.length
    }
  }
}

export type Revocation = ReturnType<typeof createRevocation>
