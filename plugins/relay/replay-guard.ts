import { flat } from './flat-string.js'

/** What the guard remembers of an accepted message: enough to tell a retry from a replay. */
export interface SeenMessage {
  /** The sender and nonce, as `replayKey` makes them. */
  key: string
  id: string
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

const NEW: ReplayVerdict = { kind: 'new' }
const STALE: ReplayVerdict = { kind: 'stale' }
const REPLAY: ReplayVerdict = { kind: 'replay' }

/** Generations of the memory: eviction and expiry drop a whole generation at once. */
const GENERATIONS = 16

/**
 * A dropped generation's keys leave the map a few per message, and in bounded batches on each
 * sweep: deleting a generation of a full memory (12,500 keys at the default size) in one go
 * stopped the event loop for 5-8 ms, every 12,500 messages.
 */
const RETIRE_PER_MESSAGE = 4
const RETIRE_PER_SWEEP = 2048

/**
 * A settled entry, kept as one flat string: status letter, id, then recipient, MAC and
 * timestamp after newlines (none of them can hold one). A full memory is hundreds of thousands
 * of entries that live for minutes: one string each instead of an object and five strings
 * keeps the old generation, and every full garbage collection's marking, small.
 */
type Settled = string

function settledOf (seen: SeenMessage): Settled {
  return flat(`${seen.status === 'delivered' ? 'd' : 'q'}${seen.id}\n${seen.recipientId}\n${seen.mac}\n${seen.timestamp}`)
}

function unsettle (text: Settled, key: string): SeenMessage {
  const [head, recipientId, mac, timestamp] = text.split('\n')
  return { key, id: head.slice(1), recipientId, mac, timestamp: Number(timestamp), status: head[0] === 'd' ? 'delivered' : 'queued', waiting: undefined }
}

/**
 * The memory's key of a message: its sender and nonce. Made once per message and kept in its
 * `SeenMessage`, so its hash is computed once too. Sender ids are UUIDs, all of one length, so
 * the concatenation is unambiguous.
 */
export function replayKey (senderId: string, nonce: string): string {
  return flat(senderId + nonce)
}

interface Generation {
  /** Keys remembered in this generation, in no particular order. */
  keys: string[]
  /** Newest message timestamp in the generation: it has expired once this has. */
  newest: number
  openedAt: number
}

/**
 * Replay protection: a timestamp window around the server's clock and a memory of the nonces
 * each sender used inside it. The memory is bounded: when full, the oldest entries go and the
 * window's past edge moves up to the newest timestamp forgotten, so a forgotten nonce can never
 * be accepted again (it is refused as stale instead).
 *
 * One map holds every entry (one lookup per message); the order of arrival lives in a few
 * generations of keys, and only whole generations are dropped. The map is never walked: used
 * as a queue walked from its front, it made each message skip the hole V8 leaves for every
 * entry deleted there, tens of thousands of them at a full memory.
 *
 * A dropped generation's entries may stay in the map for a while (RETIRE_PER_MESSAGE): they are
 * no longer counted, and they can only refuse, never accept. Their timestamps are refused as
 * stale before any lookup (expired, or at most `forgottenUpTo`), so what such an entry still
 * does is refuse as a replay the same nonce with a new timestamp, which a sender must not send.
 */
export function createReplayGuard (options: { windowMs: number, maxEntries: number, now: () => number }) {
  const { windowMs, maxEntries, now } = options
  const capacity = Math.max(1, Math.ceil(maxEntries / GENERATIONS))
  // A generation also closes after this long, so a quiet server's entries expire in steps.
  const span = Math.max(1, Math.floor(windowMs / GENERATIONS))
  const index = new Map<string, SeenMessage | Settled>()
  const generations: Generation[] = []
  /** Keys of dropped generations still in the map. */
  let retiring: string[] = []
  let forgottenUpTo = -Infinity

  const live = () => index.size - retiring.length

  function dropOldest () {
    const oldest = generations.shift()
    if (oldest !== undefined) retiring = retiring.length === 0 ? oldest.keys : retiring.concat(oldest.keys)
  }

  function retire (count: number) {
    for (let i = 0; i < count && retiring.length > 0; i++) index.delete(retiring.pop() as string)
  }

  function expire (at: number) {
    while (generations.length > 0) {
      const oldest = generations[0]
      if (oldest.newest + windowMs >= at && live() <= maxEntries) break
      // Forgetting unexpired nonces: their timestamps must stay refused.
      if (oldest.newest + windowMs >= at) forgottenUpTo = Math.max(forgottenUpTo, oldest.newest)
      dropOldest()
    }
  }

  return {
    /** Classifies a message by its sender, nonce, timestamp and content. */
    check (key: string, timestamp: number, recipientId: string, mac: string): ReplayVerdict {
      const at = now()
      if (Math.abs(at - timestamp) > windowMs || timestamp <= forgottenUpTo) return STALE
      const entry = index.get(key)
      if (entry === undefined) return NEW
      if (typeof entry === 'string') {
        const settled = unsettle(entry, key)
        if (settled.recipientId === recipientId && settled.mac === mac && settled.timestamp === timestamp) return { kind: 'retry', seen: settled }
        return REPLAY
      }
      // The same sealed box to the same person is the sender retrying after a lost ack.
      if (entry.recipientId === recipientId && entry.mac === mac && entry.timestamp === timestamp) return { kind: 'retry', seen: entry }
      return REPLAY
    },

    /** Remembers an accepted message (one that `check` called new). */
    remember (entry: SeenMessage): void {
      const at = now()
      let current = generations[generations.length - 1]
      if (current === undefined || current.keys.length >= capacity || at - current.openedAt >= span) {
        current = { keys: [], newest: -Infinity, openedAt: at }
        generations.push(current)
      }
      const { key } = entry
      index.set(key, entry)
      current.keys.push(key)
      if (entry.timestamp > current.newest) current.newest = entry.timestamp
      expire(at)
      retire(RETIRE_PER_MESSAGE)
    },

    /** The message's sender got its ack: from now on only a compact copy is kept. */
    settle (seen: SeenMessage): void {
      if (seen.status === undefined) return
      if (index.get(seen.key) === seen) index.set(seen.key, settledOf(seen))
    },

    /** Forgets a message that was not accepted after all, so sending it again is not a replay. */
    forget (key: string): void {
      if (!index.delete(key)) return
      // Out of its generation (or the retiring keys) too, or deleting those keys later would
      // delete the entry of the same nonce accepted again meanwhile. Refusals come soon after
      // acceptance, so the search from the newest end is short.
      for (let i = generations.length - 1; i >= -1; i--) {
        const keys = i >= 0 ? generations[i].keys : retiring
        const at = keys.lastIndexOf(key)
        if (at === -1) continue
        keys[at] = keys[keys.length - 1]
        keys.pop()
        return
      }
    },

    /** Whether a timestamp is inside the window around the server's clock. */
    inWindow: (timestamp: number) => Math.abs(now() - timestamp) <= windowMs,

    /** Drops expired generations and deletes a batch of dropped keys (called by the relay's sweep). */
    sweep: () => {
      expire(now())
      retire(RETIRE_PER_SWEEP)
    },
    /** Entries remembered (not counting those of dropped generations still being deleted). */
    get size () { return live() },
    /** Entries the map holds, those still being deleted included. */
    get held () { return index.size }
  }
}

export type ReplayGuard = ReturnType<typeof createReplayGuard>
