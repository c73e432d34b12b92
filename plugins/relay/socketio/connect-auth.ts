import { AppError, ERRORS, type ErrorCode } from '../../errors.js'
import type { AckMode } from './receipts.js'

/**
 * The Socket.IO CONNECT payload (`auth` in socket.io-client): `{token, acks?}`. Other fields are
 * ignored, as an app may send its own. A problem is reported before any token check.
 */
export function readConnectAuth (auth: unknown): { token?: string, mode: AckMode, problem?: string } {
  if (typeof auth !== 'object' || auth === null) return { mode: 'auto', problem: 'CONNECT needs auth: {token}' }
  const { token, acks } = auth as { token?: unknown, acks?: unknown }
  if (typeof token !== 'string' || token === '') return { mode: 'auto', problem: 'auth.token must be the bearer token from POST /api/login' }
  if (acks !== undefined && acks !== 'auto' && acks !== 'manual') return { mode: 'auto', problem: "auth.acks must be 'auto' or 'manual'" }
  return { token, mode: acks === 'manual' ? 'manual' : 'auto' }
}

/** What a refused CONNECT tells the client: our error code and a client-safe message. */
export function refusalOf (err: unknown): { code: ErrorCode, message: string } {
  if (err instanceof AppError) return { code: err.code, message: err.message }
  return { code: 'internal_error', message: ERRORS.internal_error.message }
}
