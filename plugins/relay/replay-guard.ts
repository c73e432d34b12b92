/** What the guard remembers of an accepted message: enough to tell a retry from a replay. */
export interface SeenMessage {
  id: string
  senderId: string
  nonce: string
  recipientId: string
  mac: string
  timestamp: number
  /** The ack the sender got (or will get): undefined while the message is still being routed. */
  status?: 'delivered' | 'queued'
  /** Retries that arrived before the status was known: answered when it is. */
  waiting?: Array<(status: 'delivered' | 'queued') => void>
}

export type ReplayVerdict =
  | { kind: 'new' }
  | { kind: 'stale' }
  | { kind: 'retry', seen: SeenMessage }
  | { kind: 'replay' }

/**
 * Replay protection: a timestamp window around the server's clock and a memory of the nonces
 * each sender used inside it. The memory is bounded: when full, the oldest entries go and the
 * window's past edge moves up to the newest timestamp forgotten, so a forgotten nonce can never
 * be accepted again (it is refused as stale instead).
 */
export function createReplayGuard (options: { windowMs: number, maxEntries: number, now: () => number }) {
  const { windowMs, maxEntries, now } = options
  // Insertion order is arrival order, which is what expiry and eviction walk.
  const seen = new Map<string, SeenMessage>()
  let forgottenUpTo = -Infinity

  function expire (at: number) {
    for (const [key, entry] of seen) {
      if (entry.timestamp + windowMs >= at && seen.size <= maxEntries) break
      if (entry.timestamp + windowMs >= at) forgottenUpTo = Math.max(forgottenUpTo, entry.timestamp)
      seen.delete(key)
    }
  }

  return {
    /** Classifies a message by its sender, nonce, timestamp and content. */
    check (senderId: string, nonce: string, timestamp: number, recipientId: string, mac: string): ReplayVerdict {
      const at = now()
      if (Math.abs(at - timestamp) > windowMs || timestamp <= forgottenUpTo) return { kind: 'stale' }
      const entry = seen.get(senderId + nonce)
      if (entry === undefined) return { kind: 'new' }
      // The same sealed box to the same person is the sender retrying after a lost ack.
      if (entry.recipientId === recipientId && entry.mac === mac && entry.timestamp === timestamp) return { kind: 'retry', seen: entry }
      return { kind: 'replay' }
    },

    /** Remembers an accepted message. */
    remember (senderId: string, nonce: string, entry: SeenMessage): void {
      seen.set(senderId + nonce, entry)
      if (seen.size > maxEntries || seen.size % 1024 === 0) expire(now())
    },

    /** Forgets a message that was not accepted after all, so sending it again is not a replay. */
    forget (senderId: string, nonce: string): void {
      seen.delete(senderId + nonce)
    },

    /** Whether a timestamp is inside the window around the server's clock. */
    inWindow: (timestamp: number) => Math.abs(now() - timestamp) <= windowMs,

    /** Drops expired entries (called by the relay's sweep). */
    sweep: () => expire(now()),
    get size () { return seen.size }
  }
}

export type ReplayGuard = ReturnType<typeof createReplayGuard>
