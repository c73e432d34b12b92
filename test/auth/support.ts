import sodium from 'sodium-native'
import { Secret, TOTP } from 'otpauth'
import websocket from '@fastify/websocket'
import type { FastifyInstance } from 'fastify'
import WebSocket from 'ws'
import type { App } from '../../app.js'
import { bearer } from '../helper.js'
import { bearerToken } from '../../plugins/auth/index.js'

/** An Ed25519 signing key pair made by libsodium, as a client would. */
export function signKeyPair (): { publicKey: Buffer, secretKey: Buffer } {
  const publicKey = Buffer.alloc(sodium.crypto_sign_PUBLICKEYBYTES)
  const secretKey = Buffer.alloc(sodium.crypto_sign_SECRETKEYBYTES)
  sodium.crypto_sign_keypair(publicKey, secretKey)
  return { publicKey, secretKey }
}

/** The client's signature of a key-login challenge, base64. */
export function signChallenge (challenge: string, secretKey: Buffer): string {
  const signature = Buffer.alloc(sodium.crypto_sign_BYTES)
  sodium.crypto_sign_detached(signature, Buffer.from(`quietwire-key-login:${challenge}`, 'utf8'), secretKey)
  return signature.toString('base64')
}

/** The code an authenticator app shows for `base32Secret` at `at` (independent of the server's module). */
export function appCode (base32Secret: string, at = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(base32Secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: at })
}

/** Turns 2FA on for a signed-in user; returns the secret and recovery codes. */
export async function enableTwoFactor (app: App, token: string, password: string) {
  const setup = await app.inject({ method: 'POST', url: '/api/me/2fa/setup', headers: bearer(token) })
  if (setup.statusCode !== 200) throw new Error(`setup failed: ${setup.body}`)
  const { secret, uri } = setup.json() as { secret: string, uri: string }
  // Confirm with the previous step's code, so that the current step's code is still unused.
  const enable = await app.inject({ method: 'POST', url: '/api/me/2fa/enable', headers: bearer(token), payload: { code: appCode(secret, Date.now() - 30_000), password } })
  if (enable.statusCode !== 200) throw new Error(`enable failed: ${enable.body}`)
  return { secret, uri, recoveryCodes: enable.json().recoveryCodes as string[] }
}

/** A full sign-in reply (the helper's `login` keeps only the token). */
export async function loginReply (app: App, body: Record<string, unknown>) {
  return await app.inject({ method: 'POST', url: '/api/login', payload: body })
}

/**
 * A stand-in for the relay's side of the contract: a WebSocket route that authenticates with
 * `app.auth.authenticate` and closes a session's sockets on `session.revoked` and
 * `user.sessions_revoked`, as the relay does.
 */
export async function socketProbe (app: FastifyInstance) {
  if (!app.hasDecorator('websocketServer')) await app.register(websocket)
  const live = new Set<{ userId: string, sessionId: string, close: (code: number, reason: string) => void }>()
  app.events.on('session.revoked', ({ sessionId, reason }) => {
    for (const c of live) if (c.sessionId === sessionId) c.close(4001, reason)
  })
  app.events.on('user.sessions_revoked', ({ userId, exceptSessionId, reason }) => {
    for (const c of live) if (c.userId === userId && c.sessionId !== exceptSessionId) c.close(4001, reason)
  })
  app.get('/test-socket', {
    websocket: true,
    preValidation: async (request) => { request.auth = await app.auth.authenticate(bearerToken(request.headers.authorization)) }
  }, (socket, request) => {
    const entry = { userId: request.auth!.userId, sessionId: request.auth!.sessionId, close: (code: number, reason: string) => socket.close(code, reason) }
    live.add(entry)
    socket.on('close', () => live.delete(entry))
    socket.send('ready')
  })
}

/** Opens a probe socket with the token; resolves once the server says it is ready. */
export async function openSocket (url: string, token: string): Promise<{ ws: WebSocket, closed: Promise<{ code: number, reason: string }> }> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/test-socket`, { headers: bearer(token) })
  const closed = new Promise<{ code: number, reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve())
    ws.once('error', reject)
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)))
  })
  return { ws, closed }
}

export { bearer }
