import { randomUUID } from 'node:crypto'
import type { Duplex } from 'node:stream'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { WebSocket } from 'ws'
import { AppError, ERRORS, type ErrorCode } from '../errors.js'
import { bearerToken } from '../auth/index.js'
import type { AuthContext } from '../auth/service.js'
import type { PrivateMessageOutData } from '../../schemas/frames.js'
import type { ClientFrame, Connection, RelayCore, ServerFrame } from './contract.js'
import { CLOSE_CODES } from './close-codes.js'
import type { FrameProblem, FrameValidator } from './frame-validator.js'
import { corkForTurn } from './turn-cork.js'
import { messageAckJson, messageDataJson } from './message-json.js'

export interface NativeOptions {
  core: RelayCore
  validator: FrameValidator
  authTimeoutMs: number
  heartbeatMs: number
  maxBufferedBytes: number
  authenticate: (token: string) => Promise<AuthContext>
}

const NOT_UPGRADED = '/ws speaks WebSocket only: send the GET with Upgrade: websocket (behind a proxy, forward the Upgrade and Connection headers)'

// Frames that arrive while the auth frame is being checked wait; a client may not pile them up.
const MAX_EARLY_FRAMES = 32

// A frame pushed to many sockets (a message to several devices, a presence change) goes to
// them one after the other: the last one serialized is kept, so it is serialized once. A
// WeakMap did the same for every message and cost the collector an ephemeron each. Replies
// carry a ref and are never shared, so they are not cached.
let lastFrame: ServerFrame | null = null
let lastText = ''
function textOf (frame: ServerFrame): string {
  if (frame.ref !== undefined) {
    const ack = frame.type === 'ack' ? frame.data as { id?: string, status: 'delivered' | 'queued' } : undefined
    return ack?.id !== undefined ? messageAckJson(frame.ref, ack.id, ack.status) : JSON.stringify(frame)
  }
  if (frame !== lastFrame) {
    lastText = frame.type === 'private_message'
      ? `{"type":"private_message","data":${messageDataJson(frame.data as PrivateMessageOutData)}}`
      : JSON.stringify(frame)
    lastFrame = frame
  }
  return lastText
}

/** The ref of a frame refused for another reason, when it has a usable one, so the client can match the error. */
function refOf (value: unknown): string | number | undefined {
  const ref = typeof value === 'object' && value !== null ? (value as { ref?: unknown }).ref : undefined
  if (typeof ref === 'string' && ref.length >= 1 && ref.length <= 64) return ref
  if (Number.isSafeInteger(ref) && (ref as number) >= 0) return ref as number
  return undefined
}

const errorFrame = (problem: FrameProblem, ref?: string | number): ServerFrame =>
  ({ type: 'error', ref, data: problem })

function authProblem (err: unknown): FrameProblem {
  const code: ErrorCode = err instanceof AppError ? err.code : 'internal_error'
  return { code, message: err instanceof AppError ? err.message : ERRORS.internal_error.message }
}

/**
 * One socket of the native transport: authentication (Authorization header or first frame),
 * JSON decoding, and the `Connection` the core pushes through.
 */
class NativeSocket implements Connection {
  readonly id = randomUUID()
  userId = ''
  sessionId = ''
  expiresAt: number | undefined = undefined
  alive = true
  private phase: 'auth' | 'checking' | 'open' | 'closed' = 'auth'
  /** Handed to the core (connect called): the core must hear of the close. */
  private registered = false
  private early: ClientFrame[] = []
  private authTimer: NodeJS.Timeout | null = null

  constructor (
    private readonly ws: WebSocket,
    private readonly raw: Duplex,
    private readonly options: NativeOptions,
    private readonly onGone: (socket: NativeSocket) => void
  ) {}

  send (frame: ServerFrame): boolean {
    // A closing socket takes nothing more: the core keeps the message queued instead.
    if (this.ws.readyState !== this.ws.OPEN || this.ws.bufferedAmount > this.options.maxBufferedBytes) return false
    corkForTurn(this.raw)
    this.ws.send(textOf(frame))
    return true
  }

  sendMany (frames: ServerFrame[]): boolean {
    if (this.ws.readyState !== this.ws.OPEN || this.ws.bufferedAmount > this.options.maxBufferedBytes) return false
    corkForTurn(this.raw)
    for (const frame of frames) this.ws.send(textOf(frame))
    return true
  }

  close (code: number, reason: string): void {
    if (this.ws.readyState >= this.ws.CLOSING) return
    this.ws.close(code, reason)
    // A reader that does not read will not read our close frame either: do not wait for it.
    if (code === CLOSE_CODES.slowReader) setTimeout(() => { this.ws.terminate() }, 1000).unref()
  }

  start (auth: AuthContext | Error | undefined) {
    if (auth instanceof Error) return this.fail(authProblem(auth))
    if (auth !== undefined) return this.open(auth)
    this.authTimer = setTimeout(() => {
      if (this.phase === 'auth' || this.phase === 'checking') this.fail({ code: 'auth_timeout', message: ERRORS.auth_timeout.message })
    }, this.options.authTimeoutMs)
  }

  onMessage (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) {
    this.alive = true
    if (this.phase === 'closed') return
    const frame = this.decode(data, isBinary)
    if (frame === null) return
    if (this.phase === 'open') return frame.type === 'auth' ? this.renew(frame) : this.options.core.receive(this, frame)
    if (this.phase === 'checking') {
      if (this.early.length >= MAX_EARLY_FRAMES) return this.close(CLOSE_CODES.policyViolation, 'too many frames before authentication')
      this.early.push(frame)
      return
    }
    if (frame.type !== 'auth') return this.fail({ code: 'unauthorized', message: 'Authenticate first: {"type":"auth","token":"..."}' }, frame.ref)
    const checked = this.options.validator.data<{ token: string }>('auth', frame.data)
    if (!checked.ok) return this.fail({ ...checked.problem, code: 'unauthorized' }, frame.ref)
    this.phase = 'checking'
    this.options.authenticate(checked.value.token).then(
      (auth) => { if (this.phase === 'checking') this.open(auth, frame.ref) },
      (err: unknown) => { if (this.phase === 'checking') this.fail(authProblem(err), frame.ref) }
    )
  }

  onClose () {
    this.phase = 'closed'
    this.early = []
    if (this.authTimer !== null) clearTimeout(this.authTimer)
    this.onGone(this)
    if (this.registered) this.options.core.disconnect(this)
  }

  /** Heartbeat tick: a socket that did not answer the last ping is dead. */
  beat () {
    if (!this.alive) return this.ws.terminate()
    this.alive = false
    this.ws.ping()
  }

  private decode (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): ClientFrame | null {
    let problem: FrameProblem
    let ref: string | number | undefined
    if (isBinary) {
      problem = { code: 'invalid_frame', field: 'type', message: 'Frames are JSON text, not binary' }
    } else {
      let value: unknown
      try {
        value = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'))
      } catch {
        value = undefined
      }
      if (value === undefined) {
        problem = { code: 'invalid_frame', message: 'The frame is not valid JSON' }
      } else {
        const checked = this.options.validator.envelope(value)
        if (checked.ok) return checked.value
        problem = checked.problem
        ref = refOf(value)
      }
    }
    if (this.phase === 'open') this.options.core.refuse(this, problem, ref)
    else { this.send(errorFrame(problem)); this.close(CLOSE_CODES.policyViolation, 'malformed frame before authentication') }
    return null
  }

  private open (auth: AuthContext, ref?: string | number) {
    if (this.authTimer !== null) clearTimeout(this.authTimer)
    this.userId = auth.userId
    this.sessionId = auth.sessionId
    this.expiresAt = auth.expiresAt
    this.phase = 'open'
    this.send({ type: 'ready', ref, data: { userId: auth.userId, heartbeatMs: this.options.heartbeatMs } })
    this.registered = true
    this.options.core.connect(this).catch(() => { this.close(CLOSE_CODES.internalError, 'internal error') })
    const early = this.early
    this.early = []
    for (const frame of early) this.options.core.receive(this, frame)
  }

  /**
   * A fresh token for the same user on an open socket (access tokens are short-lived): the
   * socket lives on until the new token expires. Another user's token, or a bad one, ends it.
   */
  private renew (frame: ClientFrame) {
    const checked = this.options.validator.data<{ token: string }>('auth', frame.data)
    if (!checked.ok) return this.options.core.refuse(this, checked.problem, frame.ref)
    this.options.authenticate(checked.value.token).then((auth) => {
      if (this.phase !== 'open') return
      if (auth.userId !== this.userId) return this.fail({ code: 'invalid_token', message: 'The token is for another user' }, frame.ref)
      this.expiresAt = auth.expiresAt
      this.send({ type: 'ready', ref: frame.ref, data: { userId: auth.userId, heartbeatMs: this.options.heartbeatMs } })
    }, (err: unknown) => { if (this.phase === 'open') this.fail(authProblem(err), frame.ref) })
  }

  private fail (problem: FrameProblem, ref?: string | number) {
    this.phase = 'closed'
    this.send(errorFrame(problem, ref))
    this.close(CLOSE_CODES.unauthorized, problem.code)
  }
}

/**
 * The native WebSocket transport at `/ws`: our JSON framing (schemas/frames.ts) straight onto
 * the relay core. Credentials come from an `Authorization: Bearer` header, checked in a hook
 * before the upgrade completes, or from a first `auth` frame; never from the URL.
 */
export async function nativeTransport (app: FastifyInstance, options: NativeOptions) {
  const headerAuth = new WeakMap<FastifyRequest, AuthContext | Error>()
  const sockets = new Set<NativeSocket>()

  // One timer for every socket: a socket that missed a whole interval's pong is dead.
  const heartbeat = setInterval(() => {
    for (const socket of sockets) socket.beat()
  }, options.heartbeatMs)
  heartbeat.unref()
  app.addHook('onClose', async () => { clearInterval(heartbeat) })

  app.route({
    method: 'GET',
    url: '/ws',
    schema: { hide: true },
    async onRequest (request) {
      const header = request.headers.authorization
      if (header === undefined) return
      try {
        headerAuth.set(request, await app.auth.authenticate(bearerToken(header)))
      } catch (err) {
        headerAuth.set(request, err instanceof Error ? err : new Error(String(err)))
      }
    },
    // A plain GET: most often a proxy that dropped the upgrade on its way.
    async handler () {
      throw new AppError('bad_request', NOT_UPGRADED)
    },
    wsHandler (ws, request) {
      const socket = new NativeSocket(ws, request.raw.socket, options, (gone) => { sockets.delete(gone) })
      sockets.add(socket)
      // Listeners first, before anything that could yield: frames must not be missed.
      ws.on('message', (data, isBinary) => { socket.onMessage(data, isBinary) })
      ws.on('pong', () => { socket.alive = true })
      ws.on('close', () => { socket.onClose() })
      socket.start(headerAuth.get(request))
    }
  })

  return {
    /** Closes every native socket (server shutdown). */
    closeAll (code: number, reason: string) {
      for (const socket of sockets) socket.close(code, reason)
    }
  }
}
