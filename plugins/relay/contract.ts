import type { ErrorCode } from '../errors.js'

/**
 * The contract between the relay's core and its transports (native WebSocket, Socket.IO shim).
 * A transport turns bytes into `ClientFrame`s and hands them to the core; the core answers and
 * pushes through the transport's `Connection`. Neither transport knows about the other.
 */

/** One decoded frame from a client, not yet validated: the core validates `data` by `type`. */
export interface ClientFrame {
  /** e.g. 'private_message', 'presence_update', 'ack'. */
  type: string
  /** Client reference echoed in the reply (ack or error) so the client can match them. */
  ref?: string | number
  data?: unknown
}

/** One frame to a client. `ref` is set on replies to a ClientFrame that carried one. */
export interface ServerFrame {
  /** e.g. 'private_message', 'user_presence', 'ack', 'error', 'dropped', 'key_changed'. */
  type: string
  ref?: string | number
  data: unknown
}

/** A live, authenticated connection as the core sees it, whatever the transport. */
export interface Connection {
  readonly id: string
  readonly userId: string
  readonly sessionId: string
  /** When the credential behind the connection stops being valid (ms); the core closes it then. */
  readonly expiresAt?: number
  /**
   * Queues a frame for the client. Returns false when the client is not keeping up (its send
   * buffer is over the limit): the core then stops pushing to it and leaves messages queued.
   */
  send: (frame: ServerFrame) => boolean
  /**
   * Optional: queues several frames at once, written to the network together (one syscall).
   * Same answer as `send`; the core falls back to `send` for each frame without it.
   */
  sendMany?: (frames: ServerFrame[]) => boolean
  /** Closes with a WebSocket close code (see CLOSE_CODES) and a short reason. */
  close: (code: number, reason: string) => void
}

/** What a transport calls on the core. */
export interface RelayCore {
  /** An authenticated connection opened: register it, mark presence, deliver what is queued. */
  connect: (connection: Connection) => Promise<void>
  /** One frame from the connection. Never throws: problems go back as error frames. */
  receive: (connection: Connection, frame: ClientFrame) => void
  /** The connection closed (either side). */
  disconnect: (connection: Connection) => void
  /**
   * A frame the transport could not decode (not JSON, not an object...): answered with an error
   * frame naming the problem, and counted toward the malformed-frame limit (close 1008).
   */
  refuse: (connection: Connection, problem: { code: ErrorCode, field?: string, message: string }, ref?: string | number) => void
}
