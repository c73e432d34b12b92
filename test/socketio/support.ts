import WebSocket from 'ws'
import { io, type Socket } from 'socket.io-client'
import type { TestContext } from '../helper.js'

/** Small heartbeats and deadlines so protocol tests finish quickly (as in the official suites). */
export const SIO_TEST_ENV = {
  RELAY_HEARTBEAT_MS: '300',
  SOCKETIO_PING_TIMEOUT_MS: '200',
  RELAY_AUTH_TIMEOUT_MS: '1500'
}

export type Message = string | Buffer

/**
 * A raw `ws` client speaking Engine.IO/Socket.IO by hand, like the official test suites'
 * `createWebSocket` / `waitFor`: messages are buffered so none is missed between awaits.
 */
export class RawSocket {
  readonly messages: Message[] = []
  readonly closed: Promise<{ code: number, reason: string }>
  readonly opened: Promise<boolean>
  private waiter: ((m: Message) => void) | null = null

  constructor (readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const message = isBinary ? data as Buffer : String(data)
      if (this.waiter !== null) {
        const w = this.waiter
        this.waiter = null
        w(message)
      } else {
        this.messages.push(message)
      }
    })
    ws.on('error', () => {})
    this.opened = new Promise((resolve) => {
      ws.once('open', () => resolve(true))
      ws.once('close', () => resolve(false))
    })
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => { resolve({ code, reason: String(reason) }) }))
  }

  /** Opens `/socket.io/?<query>` (the Engine.IO v4 websocket handshake by default). */
  static open (t: TestContext, url: string, query = 'EIO=4&transport=websocket'): RawSocket {
    const socket = new RawSocket(new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?${query}`))
    t.teardown(() => { socket.ws.terminate() })
    return socket
  }

  /** The next message (waits for it); rejects when the socket closes first or after `timeoutMs`. */
  next (timeoutMs = 5000): Promise<Message> {
    const buffered = this.messages.shift()
    if (buffered !== undefined) return Promise.resolve(buffered)
    return new Promise((resolve, reject) => {
      const waiter = (m: Message) => { clearTimeout(timer); resolve(m) }
      const timer = setTimeout(() => { if (this.waiter === waiter) this.waiter = null; reject(new Error(`no message within ${timeoutMs} ms`)) }, timeoutMs)
      this.closed.then(() => { if (this.waiter === waiter) { clearTimeout(timer); this.waiter = null; reject(new Error('closed')) } }, () => {})
      this.waiter = waiter
    })
  }

  /** The next message that is not an Engine.IO ping (pings are answered, as a client library would). */
  async nextPacket (timeoutMs = 5000): Promise<Message> {
    for (;;) {
      const m = await this.next(timeoutMs)
      if (m !== '2') return m
      this.send('3')
    }
  }

  send (data: Message): void { this.ws.send(data) }

  /** Engine.IO open, then CONNECT to `/` with `auth`, answered by the server's CONNECT. */
  static async connected (t: TestContext, url: string, auth: Record<string, unknown>): Promise<RawSocket> {
    const socket = RawSocket.open(t, url)
    await socket.next()
    socket.send('40' + JSON.stringify(auth))
    const reply = await socket.nextPacket()
    if (typeof reply !== 'string' || !reply.startsWith('40')) throw new Error(`CONNECT refused: ${String(reply)}`)
    return socket
  }
}

/** Parses `42[...]` / `43<id>[...]` / `44/other,{...}` text into its parts (`nsp` only when not `/`), for assertions. */
export function parsePacket (m: Message): { type: string, nsp?: string, id?: number, data: any } {
  if (typeof m !== 'string') throw new Error('binary message')
  const match = /^4([0-6])(?:(\/[^,]*),?)?(\d*)(.*)$/s.exec(m)
  if (match === null) throw new Error(`not a Socket.IO packet: ${m}`)
  const [, type, nsp, id, rest] = match
  return { type: type!, ...(nsp !== undefined && nsp !== '/' ? { nsp } : {}), ...(id !== '' ? { id: Number(id) } : {}), data: rest === '' ? undefined : JSON.parse(rest!) }
}

/** A real socket.io-client v4 socket over the websocket transport, connected (or refused). */
export function sioClient (t: TestContext, url: string, auth: Record<string, unknown>): Socket {
  const socket = io(url, { transports: ['websocket'], auth, reconnection: false, forceNew: true, timeout: 5000 })
  t.teardown(() => { socket.disconnect() })
  return socket
}

/** Connects a socket.io-client socket and resolves once CONNECT succeeded. */
export async function sioConnected (t: TestContext, url: string, auth: Record<string, unknown>): Promise<Socket> {
  const socket = sioClient(t, url, auth)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
  })
  return socket
}

/** The next `event` on a socket.io-client socket with its arguments. */
export function nextEvent (socket: Socket, event: string, timeoutMs = 5000): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { socket.off(event, on); reject(new Error(`no ${event} within ${timeoutMs} ms`)) }, timeoutMs)
    const on = (...args: any[]) => { clearTimeout(timer); resolve(args) }
    socket.once(event, on)
  })
}
