import { Agent, type ClientRequestArgs } from 'node:http'
import type { Duplex } from 'node:stream'
import { corkForTurn } from '../../plugins/relay/turn-cork.js'

/**
 * The HTTP agent of one bench client's WebSocket: it keeps the TCP socket it opens, so the client
 * can hold its writes until the end of the event loop's turn, as the server does
 * (plugins/relay/turn-cork.ts). The load generator plays a hundred clients on one thread; without
 * this, every frame (each message, each ack) was a system call of its own, and on loopback each
 * one also runs the receiving side of TCP: `writev` was 45% of the generator's time in the shim's
 * max-throughput runs, which made the generator, not the server, the bound (docs/BENCHMARK-LOG.md,
 * "Since the 07:16 run"). Every client, the ceiling's included, writes this way.
 */
export class CorkingAgent extends Agent {
  private socket: Duplex | undefined

  override createConnection (options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const socket = super.createConnection(options, callback)
    this.socket = socket ?? undefined
    return socket
  }

  /** Call before each write on the connection. */
  corkForTurn (): void {
    if (this.socket !== undefined) corkForTurn(this.socket)
  }
}
