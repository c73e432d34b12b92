import { SentLog } from '../sent-log.js'

/**
 * Acknowledgements of the private messages pushed to one Socket.IO connection.
 *
 * Every pushed message carries a Socket.IO ack id. The client confirms it either by calling the
 * event's callback (an ACK packet), by emitting `ack {id}` itself, or, in `auto` mode, implicitly:
 * Engine.IO packets are handled in order, so the pong answering a ping sent after the message
 * proves the client's library has dispatched it to the app. A client that never acks therefore
 * neither loses a message (until the pong it is still queued) nor receives it again forever.
 */
export type AckMode = 'auto' | 'manual'

export function createReceipts (mode: AckMode) {
  let nextId = 0
  // Message ids by ack id, in the order pushed (ack ids increasing): not two Maps, which V8
  // reallocates whenever they empty, at nearly every ack of a live connection.
  const unconfirmed = new SentLog()
  /** Ack ids pushed since the last ping was sent. */
  let sinceLastPing: number[] = []
  /** For each ping not yet answered, the ack ids it covers (pongs come back in order). */
  const pings: number[][] = []

  const take = (ackId: number): string | undefined => unconfirmed.removeSeq(ackId)

  return {
    mode,
    /** Records a pushed message; returns the ack id to send it with. */
    push (messageId: string): number {
      const known = unconfirmed.seqOf(messageId)
      if (known !== undefined) return known
      nextId = nextId >= Number.MAX_SAFE_INTEGER ? 1 : nextId + 1
      unconfirmed.add(messageId, nextId)
      sinceLastPing.push(nextId)
      return nextId
    },
    /**
     * Whether a message pushed since the last ping is still unconfirmed (a receipt ping is worth
     * sending). Those the client confirmed meanwhile are forgotten here.
     */
    hasUnpinged (): boolean {
      if (sinceLastPing.length > 0) sinceLastPing = sinceLastPing.filter((ackId) => unconfirmed.hasSeq(ackId))
      return sinceLastPing.length > 0
    },
    /** A ping is being sent: it covers everything pushed so far. */
    pinged (): void {
      pings.push(sinceLastPing)
      sinceLastPing = []
    },
    /** A pong arrived; returns the message ids it confirms (none in manual mode). */
    ponged (): string[] {
      const covered = pings.shift() ?? []
      if (mode !== 'auto') return []
      return covered.map(take).filter((id): id is string => id !== undefined)
    },
    /** The client acked `ackId` through its callback; returns the message id, once. */
    acked: take,
    /** The client acked a message by id (the `ack` event): forget its ack id. */
    ackedMessage (messageId: string): void {
      unconfirmed.remove(messageId)
    },
    /** Pushed messages not yet confirmed. */
    get pending (): number { return unconfirmed.size },
    /** Pings sent and not yet answered. */
    get unansweredPings (): number { return pings.length }
  }
}

export type Receipts = ReturnType<typeof createReceipts>
