import sodium from 'sodium-native'
import WebSocket from 'ws'
import type { App } from '../../app.js'
import { signedInUser, type TestUser } from '../helper.js'

/** A received frame, loosely typed: tests look at what the server sent. */
export interface Frame {
  type: string
  ref?: string | number
  data: any
}

/**
 * A real `ws` client of the native transport that records every frame and close, and lets a
 * test wait for the next frame matching a predicate (frames already received count).
 */
export class Client {
  readonly frames: Frame[] = []
  readonly closed: Promise<{ code: number, reason: string }>
  private readonly waiters = new Set<{ match: (f: Frame) => boolean, resolve: (f: Frame) => void }>()
  private cursor = 0

  constructor (readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame
      this.frames.push(frame)
      for (const waiter of this.waiters) {
        if (waiter.match(frame)) { this.waiters.delete(waiter); waiter.resolve(frame) }
      }
    })
    ws.on('error', () => {})
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => { resolve({ code, reason: String(reason) }) }))
  }

  /** Opens a socket to /ws; `token` goes in an Authorization header when given. */
  static async open (url: string, options: { token?: string, path?: string, ws?: WebSocket.ClientOptions } = {}): Promise<Client> {
    const headers: Record<string, string> = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }
    const ws = new WebSocket(url.replace(/^http/, 'ws') + (options.path ?? '/ws'), { headers, ...options.ws })
    const client = new Client(ws)
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject) })
    return client
  }

  /** Opens and authenticates (header by default, or the auth frame) and waits for `ready`. */
  static async ready (url: string, token: string, via: 'header' | 'frame' = 'header'): Promise<Client> {
    const client = await Client.open(url, via === 'header' ? { token } : {})
    if (via === 'frame') client.send({ type: 'auth', token })
    await client.next((f) => f.type === 'ready')
    return client
  }

  send (frame: unknown): void { this.ws.send(JSON.stringify(frame)) }
  sendRaw (data: string | Buffer, binary = false): void { this.ws.send(data, { binary }) }

  /** The first frame not yet taken that matches (waits for it). */
  next (match: (f: Frame) => boolean = () => true, timeoutMs = 10_000): Promise<Frame> {
    const found = this.frames.find(match)
    if (found !== undefined) return Promise.resolve(found)
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (f: Frame) => { clearTimeout(timer); resolve(f) } }
      const timer = setTimeout(() => { this.waiters.delete(waiter); reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`)) }, timeoutMs)
      this.waiters.add(waiter)
    })
  }

  /** The reply (ack or error) to the frame sent with `ref`. */
  reply (ref: string | number, timeoutMs?: number): Promise<Frame> {
    return this.next((f) => f.ref === ref && (f.type === 'ack' || f.type === 'error'), timeoutMs)
  }

  /** Frames of a type received since the last call (a moving cursor over `frames`). */
  take (type: string): Frame[] {
    const out = this.frames.slice(this.cursor).filter((f) => f.type === type)
    this.cursor = this.frames.length
    return out
  }

  /** Waits until `count` frames of `type` arrived in total. */
  async count (type: string, count: number, timeoutMs = 20_000): Promise<Frame[]> {
    const started = Date.now()
    for (;;) {
      const got = this.frames.filter((f) => f.type === type)
      if (got.length >= count) return got
      if (Date.now() - started > timeoutMs) throw new Error(`only ${got.length} of ${count} ${type} frames`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }

  /** From now on, acks every private_message as it arrives (a well-behaved device). */
  autoAck (): this {
    this.ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as Frame
      if (f.type === 'private_message') this.send({ type: 'ack', data: { id: f.data.id } })
    })
    return this
  }

  /** Acks every private_message received so far. */
  ackAll (): void {
    for (const f of this.frames) if (f.type === 'private_message') this.send({ type: 'ack', data: { id: f.data.id } })
  }

  close (): Promise<{ code: number, reason: string }> {
    this.ws.close()
    return this.closed
  }
}

/** A sealed box as a client sends it: detached crypto_box with a fresh ephemeral key pair. */
export function seal (plaintext: string, recipientPublicKey: Buffer) {
  const ephemeralPk = Buffer.alloc(sodium.crypto_box_PUBLICKEYBYTES)
  const ephemeralSk = Buffer.alloc(sodium.crypto_box_SECRETKEYBYTES)
  sodium.crypto_box_keypair(ephemeralPk, ephemeralSk)
  const nonce = Buffer.alloc(sodium.crypto_box_NONCEBYTES)
  sodium.randombytes_buf(nonce)
  const m = Buffer.from(plaintext, 'utf8')
  const c = Buffer.alloc(m.length)
  const mac = Buffer.alloc(sodium.crypto_box_MACBYTES)
  sodium.crypto_box_detached(c, mac, m, nonce, recipientPublicKey, ephemeralSk)
  return { message: c.toString('base64'), nonce: nonce.toString('base64'), mac: mac.toString('base64'), ephemeralKey: ephemeralPk.toString('base64') }
}

/** Opens a received private_message with the recipient's secret key; null when it fails. */
export function open (data: { message: string, nonce: string, mac: string, ephemeralKey: string }, secretKey: Buffer): string | null {
  const c = Buffer.from(data.message, 'base64')
  const m = Buffer.alloc(c.length)
  const ok = sodium.crypto_box_open_detached(m, c, Buffer.from(data.mac, 'base64'), Buffer.from(data.nonce, 'base64'), Buffer.from(data.ephemeralKey, 'base64'), secretKey)
  return ok ? m.toString('utf8') : null
}

/** A private_message frame from `plaintext` to `recipient`. */
export function messageTo (recipient: Pick<TestUser, 'id' | 'publicKey'>, plaintext: string, ref?: string | number, timestamp = Date.now()) {
  return { type: 'private_message', ...(ref === undefined ? {} : { ref }), data: { recipientId: recipient.id, ...seal(plaintext, recipient.publicKey), timestamp } }
}

/** Limits loose enough that a test sending many messages meets none it does not test. */
export const RELAY_TEST_ENV = {
  RATE_LIMIT_MAX: '100000',
  AUTH_RATE_LIMIT_MAX: '100000',
  RELAY_RATE_BURST: '100000',
  RELAY_RATE_PER_SECOND: '100000'
}

/** Two signed-in users. */
export async function pair (app: App) {
  return { alice: await signedInUser(app), bob: await signedInUser(app) }
}
