import { io } from 'socket.io-client'
import type { EnvelopeTemplate } from '../envelope.js'
import { CorkingAgent } from './corking-agent.js'
import type { BenchClient, ConnectOptions, Delivery, Outcome } from './types.js'

interface Reply { type: string, data?: { status?: string, code?: string } }

/**
 * A client of the Socket.IO shim, driven by the real socket.io-client over WebSocket only (what
 * Socket.IO clients use behind a proxy once upgraded). Events keep the native names; the emit
 * callback receives the native reply `{type, data}`.
 */
export async function connectSocketIo (options: ConnectOptions): Promise<BenchClient> {
  const agent = new CorkingAgent()
  const socket = io(options.url, {
    // socket.io-client hands `agent` to the `ws` it runs on; its type says only string | boolean.
    agent: agent as unknown as string,
    transports: ['websocket'],
    auth: { token: options.token },
    extraHeaders: { authorization: `Bearer ${options.token ?? ''}` },
    reconnection: false,
    forceNew: true,
    timeout: options.timeoutMs ?? 15_000
  })
  let inFlight = 0

  const client: BenchClient = {
    userId: options.userId,
    send (recipientId, envelope: EnvelopeTemplate, nonce, done) {
      inFlight++
      agent.corkForTurn()
      socket.emit('private_message', {
        recipientId, message: envelope.message, nonce, mac: envelope.mac, ephemeralKey: envelope.ephemeralKey, timestamp: Date.now()
      }, (reply: Reply) => {
        inFlight--
        done(reply?.type === 'ack' ? (reply.data?.status as Outcome) : `error:${reply?.data?.code ?? 'unknown'}`)
      })
    },
    onDelivery: options.onDelivery ?? ((_delivery: Delivery) => {}),
    get inFlight () { return inFlight },
    async close () {
      socket.disconnect()
    }
  }

  socket.on('private_message', (data: { id: string, nonce: string }, ack?: (...args: unknown[]) => void) => {
    agent.corkForTurn()
    ack?.()
    client.onDelivery({ id: data.id, nonce: data.nonce })
  })

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { socket.disconnect(); reject(new Error(`socket.io client ${options.userId}: not connected in time`)) }, options.timeoutMs ?? 15_000)
    socket.once('connect', () => { clearTimeout(timer); resolve() })
    socket.once('connect_error', (err) => { clearTimeout(timer); socket.disconnect(); reject(new Error(`socket.io client ${options.userId}: ${err.message}`)) })
  })
  return client
}
