import type { Kysely } from 'kysely'
import type { Database, Session } from '../../db/types.js'
import { AppError } from '../errors.js'
import { findSessionById, listActiveSessions } from './sessions.js'
import type { Revocation } from './revocation.js'

/** One of the caller's sessions as the session list shows it. */
export interface DeviceSession {
  id: string
  createdAt: number
  lastActivity: number
  expiresAt: number
  deviceLabel: string | null
  current: boolean
  ipAddress?: string | null
  userAgent?: string | null
}

/** The caller's own sessions: list them, end one, end all but the current. */
export function createDeviceSessions (deps: { db: Kysely<Database>, revocation: Revocation, now: () => number }) {
  const { db, revocation, now } = deps

  async function ownSession (userId: string, sessionId: string): Promise<Session | undefined> {
    const session = await findSessionById(db, sessionId)
    return session?.user_id === userId ? session : undefined
  }

  return {
    /**
     * Valid sessions, newest first. Addresses and user agents appear only while the user opts in
     * (`showMetadata`); they are stored only then, too.
     */
    async list (userId: string, currentSessionId: string, showMetadata: boolean, limit: number, cursor?: string) {
      let after: Session | undefined
      if (cursor !== undefined) {
        after = await ownSession(userId, cursor)
        if (after === undefined) throw new AppError('bad_request', 'cursor is not one of your sessions')
      }
      const rows = await listActiveSessions(db, userId, now(), limit + 1, after)
      const items: DeviceSession[] = rows.slice(0, limit).map((s) => ({
        id: s.id,
        createdAt: s.created_at,
        lastActivity: s.last_activity,
        expiresAt: s.expires_at,
        deviceLabel: s.device_label,
        current: s.id === currentSessionId,
        ...(showMetadata ? { ipAddress: s.ip_address, userAgent: s.user_agent } : {})
      }))
      return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
    },

    /** Ends one of the caller's sessions (the current one too, like a logout); not_found otherwise. */
    async revoke (userId: string, sessionId: string, ip: string | null): Promise<void> {
      const session = await ownSession(userId, sessionId)
      // Another user's session answers exactly as a missing one: ids reveal nothing.
      if (session === undefined || !(await revocation.endSession(userId, sessionId, 'revoked_by_user', ip))) {
        throw new AppError('not_found', 'No such active session')
      }
    },

    /** Ends every session of the caller but the current one; returns how many ended. */
    revokeOthers: (userId: string, currentSessionId: string, ip: string | null) =>
      revocation.endOtherSessions(userId, currentSessionId, 'revoked_by_user', ip)
  }
}

export type DeviceSessions = ReturnType<typeof createDeviceSessions>
