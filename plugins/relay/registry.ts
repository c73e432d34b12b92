import type { Connection } from './contract.js'
import type { SentLog } from './sent-log.js'

/** What the core keeps per live connection: small on purpose (thousands of idle sockets). */
export interface ConnectionState {
  readonly connection: Connection
  /** Sending queued messages on connect: live messages are stored meanwhile, keeping order. */
  catchingUp: boolean
  /** Highest seq sent to this connection (during catch-up: where the next page starts). */
  afterSeq: number
  /** Every message to the user up to this seq reached this device: its delivery cursor. */
  ackedSeq: number
  /** Messages sent and not yet acked, in seq order (null until catch-up starts). */
  sent: SentLog | null
  /** Queued messages sent during catch-up and not yet acked, with their sizes (paced by acks). */
  unacked: Map<string, number> | null
  unackedBytes: number
  /** Rows that fitted the window last time: the next page asks for about that many. */
  fit: number
  /** Resumes a catch-up waiting for acks. */
  resume: (() => void) | null
  /** Malformed frames in a row. */
  strikes: number
  closed: boolean
}

/** The in-process registry: live connections by user and by session. */
export function createRegistry () {
  const byUser = new Map<string, Set<ConnectionState>>()
  const byId = new Map<string, ConnectionState>()

  return {
    add (connection: Connection): ConnectionState {
      const state: ConnectionState = { connection, catchingUp: true, afterSeq: 0, ackedSeq: 0, sent: null, unacked: null, unackedBytes: 0, fit: 0, resume: null, strikes: 0, closed: false }
      byId.set(connection.id, state)
      let set = byUser.get(connection.userId)
      if (set === undefined) { set = new Set(); byUser.set(connection.userId, set) }
      set.add(state)
      return state
    },
    /** Removes a connection; returns its state, or undefined when it was not registered. */
    remove (connection: Connection): ConnectionState | undefined {
      const state = byId.get(connection.id)
      if (state === undefined) return undefined
      byId.delete(connection.id)
      const set = byUser.get(connection.userId)
      set?.delete(state)
      if (set?.size === 0) byUser.delete(connection.userId)
      state.closed = true
      return state
    },
    get: (connection: Connection) => byId.get(connection.id),
    ofUser: (userId: string): ReadonlySet<ConnectionState> => byUser.get(userId) ?? new Set(),
    all: () => byId.values(),
    get size () { return byId.size }
  }
}

export type Registry = ReturnType<typeof createRegistry>
