import type { EnvelopeTemplate } from '../envelope.js'

/** What a sender learns about one message: its ack status, or the error code that refused it. */
export type Outcome = 'delivered' | 'queued' | `error:${string}`

/** A message as the receiving client sees it (only what the load generator needs). */
export interface Delivery {
  id: string
  nonce: string
}

/** One connected, authenticated bench client, whatever the protocol. */
export interface BenchClient {
  readonly userId: string
  /** Sends a private message; `done` runs once with its outcome. */
  send: (recipientId: string, envelope: EnvelopeTemplate, nonce: string, done: (outcome: Outcome) => void) => void
  /** Called for every message pushed to this client; the client acks it itself. */
  onDelivery: (delivery: Delivery) => void
  /** Messages not acked yet on this client (sent, no ack or error back). */
  readonly inFlight: number
  close: () => Promise<void>
}

export interface ConnectOptions {
  /** http://127.0.0.1:PORT */
  url: string
  userId: string
  /** Bearer token; the ceiling takes `?id=` instead. */
  token?: string
  /** Installed before connecting, so messages pushed right after the handshake are seen too. */
  onDelivery?: (delivery: Delivery) => void
  /** Longest wait for the connection to be ready. */
  timeoutMs?: number
}
