import type { FastifyInstance } from 'fastify'

/**
 * What retention needs from the relay, which owns the offline `messages` queue: its table is
 * never queried from here. Each call is optional so retention works on a server without a relay.
 */
export interface RelayLifecycle {
  /** Deletes queued ciphertext past its recipient's retention; returns how many. */
  purgeExpired?: (now: number) => Promise<unknown> | unknown
  /** The ciphertext queued for the user, as the user may see it. */
  exportFor?: (userId: string) => Promise<unknown> | unknown
  /** Deletes every queued message to or from the user. */
  deleteFor?: (userId: string) => Promise<unknown> | unknown
}

export function relayOf (app: FastifyInstance): RelayLifecycle {
  return app.hasDecorator('relay') ? (app as unknown as { relay: RelayLifecycle }).relay ?? {} : {}
}

/** A count from whatever shape the relay answers with (a number, or `{ count }`, or rows). */
export function countOf (result: unknown): number {
  if (typeof result === 'number') return result
  if (typeof result === 'bigint') return Number(result)
  if (Array.isArray(result)) return result.length
  if (result !== null && typeof result === 'object') {
    const value = (result as Record<string, unknown>).count ?? (result as Record<string, unknown>).deleted
    if (typeof value === 'number') return value
  }
  return 0
}
