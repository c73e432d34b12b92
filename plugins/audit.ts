import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import type { Database, SecurityEvent } from '../db/types.js'

/** Every kind of security event the server records. */
export type SecurityEventType =
  | 'register' | 'login_success' | 'login_failure' | 'account_locked' | 'logout'
  | 'password_changed' | 'key_rotated' | 'two_factor_enabled' | 'two_factor_disabled'
  | 'session_revoked' | 'account_deleted' | 'refresh_token_reuse' | 'rate_limited' | 'invalid_token'
  | 'signing_key_changed'

export interface SecurityEventInput {
  userId: string | null
  type: SecurityEventType
  /** Facts about the event, never a secret (no passwords, tokens, codes or message content). */
  data?: Record<string, unknown>
  /** Stored only when the user opted in to connection metadata; callers pass null otherwise. */
  ip?: string | null
}

export function createAudit (db: Kysely<Database>, now: () => number = Date.now) {
  return {
    async record (event: SecurityEventInput): Promise<void> {
      await db.insertInto('security_events').values({
        user_id: event.userId,
        event_type: event.type,
        event_data: JSON.stringify(event.data ?? {}),
        ip_address: event.ip ?? null,
        created_at: now()
      }).execute()
    },
    async listForUser (userId: string, limit: number, beforeId?: number): Promise<SecurityEvent[]> {
      let query = db.selectFrom('security_events').selectAll().where('user_id', '=', userId)
      if (beforeId !== undefined) query = query.where('id', '<', beforeId)
      return await query.orderBy('id', 'desc').limit(limit).execute()
    }
  }
}

export type Audit = ReturnType<typeof createAudit>

declare module 'fastify' {
  interface FastifyInstance {
    audit: Audit
  }
}

export default fp(async function auditPlugin (app) {
  app.decorate('audit', createAudit(app.db))
}, { name: 'audit', dependencies: ['db'] })
