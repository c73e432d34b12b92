import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../../db/types.js'

/** Queries on the refresh_tokens table. Tokens are 256 random bits; only their SHA-256 is stored. */

type RefreshTokenRow = Selectable<Database['refresh_tokens']>

function hashRefreshToken (token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

/** Stores a new refresh token for a session; returns the token to hand to the client. */
export async function insertRefreshToken (db: Kysely<Database>, row: { userId: string, sessionId: string, expiresAt: number }, now: number): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  await db.insertInto('refresh_tokens').values({
    id: randomUUID(), user_id: row.userId, session_id: row.sessionId, token_hash: hashRefreshToken(token),
    created_at: now, expires_at: row.expiresAt, used_at: null
  }).execute()
  return token
}

export async function findRefreshToken (db: Kysely<Database>, token: string): Promise<RefreshTokenRow | undefined> {
  return await db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', hashRefreshToken(token)).executeTakeFirst()
}

/** Retires a refresh token; false when it was retired already (someone else used it first). */
export async function retireRefreshToken (db: Kysely<Database>, id: string, now: number): Promise<boolean> {
  const result = await db.updateTable('refresh_tokens').set({ used_at: now })
    .where('id', '=', id).where('used_at', 'is', null).executeTakeFirst()
  return result.numUpdatedRows > 0n
}
