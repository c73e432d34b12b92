import t from 'tap'
import { createSigner } from 'fast-jwt'
import { bearer, build, login, signedInUser } from '../helper.js'
import { Client, RELAY_TEST_ENV } from './client.js'

const env = { ...RELAY_TEST_ENV, RELAY_AUTH_TIMEOUT_MS: '300' }

t.test('a socket authenticates by header or by first frame, and is told who it is', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  const alice = await signedInUser(app)
  const byHeader = await Client.open(url, { token: alice.token })
  const ready = await byHeader.next()
  t.same(ready, { type: 'ready', data: { userId: alice.id, heartbeatMs: 30000 } }, 'ready first')
  const byFrame = await Client.open(url)
  byFrame.send({ type: 'auth', ref: 'a', data: { token: alice.token } })
  t.same(await byFrame.next(), { type: 'ready', ref: 'a', data: { userId: alice.id, heartbeatMs: 30000 } })
  const literal = await Client.open(url)
  literal.send({ type: 'auth', token: alice.token })
  t.equal((await literal.next()).type, 'ready', '{type:"auth", token} works too')
  for (const c of [byHeader, byFrame, literal]) await c.close()
})

t.test('missing, bad, expired and revoked credentials get an error frame and close 4401', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  const alice = await signedInUser(app)
  const claims = JSON.parse(Buffer.from(alice.token.split('.')[1]!, 'base64url').toString())
  const secret = app.config.jwtSecret
  const expired = createSigner({ key: secret, algorithm: 'HS256', expiresIn: 3600_000, clockTimestamp: Date.now() - 7200_000 })({ sub: claims.sub, sid: claims.sid })
  const unknownSession = createSigner({ key: secret, algorithm: 'HS256', expiresIn: 3600_000 })({ sub: claims.sub, sid: 'no-such-session' })
  const revokedUser = await signedInUser(app)
  await app.inject({ method: 'POST', url: '/api/logout', headers: bearer(revokedUser.token) })

  const cases: Array<[string, string | undefined, string]> = [
    ['garbage', 'garbage', 'invalid_token'],
    ['tampered', alice.token.slice(0, -4) + 'AAAA', 'invalid_token'],
    ['expired', expired, 'token_expired'],
    ['unknown session', unknownSession, 'session_revoked'],
    ['logged out', revokedUser.token, 'session_revoked']
  ]
  for (const [name, token, code] of cases) {
    for (const via of ['header', 'frame'] as const) {
      const c = await Client.open(url, via === 'header' ? { token } : {})
      if (via === 'frame') c.send({ type: 'auth', ref: 1, data: { token } })
      const error = await c.next()
      t.equal(error.type, 'error', `${name} by ${via}`)
      t.equal(error.data.code, code, `${name} by ${via}`)
      t.equal((await c.closed).code, 4401, `${name} by ${via} closes 4401`)
    }
  }

  const silent = await Client.open(url)
  t.equal((await silent.next()).data.code, 'auth_timeout', 'no auth frame in time')
  t.equal((await silent.closed).code, 4401)

  const early = await Client.open(url)
  early.send({ type: 'private_message', data: {} })
  t.equal((await early.next()).data.code, 'unauthorized', 'a message before auth')
  t.equal((await early.closed).code, 4401)

  const noToken = await Client.open(url)
  noToken.send({ type: 'auth', data: {} })
  const problem = await noToken.next()
  t.equal(problem.data.code, 'unauthorized')
  t.equal(problem.data.field, 'token')
  t.equal((await noToken.closed).code, 4401)

  const junk = await Client.open(url)
  junk.sendRaw('{not json')
  t.equal((await junk.next()).data.code, 'invalid_frame', 'garbage before auth')
  t.equal((await junk.closed).code, 1008)
})

t.test('a token in the URL is not a credential', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  const alice = await signedInUser(app)
  const c = await Client.open(url, { path: `/ws?token=${alice.token}&access_token=${alice.token}` })
  const first = await c.next()
  t.equal(first.data.code, 'auth_timeout')
  t.equal((await c.closed).code, 4401)
  t.notOk(c.frames.some((f) => f.type === 'ready'))
})

t.test('a plain HTTP request to /ws, as from a proxy that dropped the upgrade, is told to upgrade', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  const alice = await signedInUser(app)
  const res = await fetch(`${url}/ws`, { headers: bearer(alice.token) })
  t.equal(res.status, 400)
  const body = await res.json() as { code: string, message: string }
  t.equal(body.code, 'bad_request')
  t.match(body.message, /Upgrade: websocket/)
  const c = await Client.open(url, { token: alice.token })
  t.equal((await c.next()).type, 'ready', 'the upgrade on the same path still opens a socket')
  c.ws.terminate()
})

t.test('logout and revocation close that session\'s live sockets at once, and only those', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  const alice = await signedInUser(app)
  const otherToken = await login(app, alice)
  const s1 = await Client.ready(url, alice.token)
  const s1b = await Client.ready(url, alice.token, 'frame')
  const s2 = await Client.ready(url, otherToken)
  t.teardown(() => { s2.ws.terminate() })

  const res = await app.inject({ method: 'POST', url: '/api/logout', headers: bearer(alice.token) })
  t.equal(res.statusCode, 204)
  for (const c of [s1, s1b]) {
    const error = await c.next((f) => f.type === 'error')
    t.equal(error.data.code, 'session_revoked')
    t.equal((await c.closed).code, 4401)
  }
  t.equal(s2.ws.readyState, s2.ws.OPEN, 'the other session stays')

  // Every session but one (a password change), then the account itself.
  const s3 = await Client.ready(url, await login(app, alice))
  const keepToken = await login(app, alice)
  const keep = await Client.ready(url, keepToken)
  t.teardown(() => { keep.ws.terminate() })
  const keepSession = (await app.auth.authenticate(keepToken)).sessionId
  app.events.emit('user.sessions_revoked', { userId: alice.id, exceptSessionId: keepSession, reason: 'password_changed' })
  t.equal((await s2.closed).code, 4401)
  t.equal((await s3.closed).code, 4401)
  t.equal(keep.ws.readyState, keep.ws.OPEN, 'the session that changed the password stays')
  app.events.emit('user.deleted', { userId: alice.id })
  t.equal((await keep.closed).code, 4401)
})

t.test('a socket whose token expires is closed when it does', async (t) => {
  const { app, url } = await build(t, { listen: true, env: { ...env, RELAY_ACK_TIMEOUT_MS: '40' } })
  const alice = await signedInUser(app)
  const claims = JSON.parse(Buffer.from(alice.token.split('.')[1]!, 'base64url').toString())
  const shortLived = createSigner({ key: app.config.jwtSecret, algorithm: 'HS256', expiresIn: 1500 })({ sub: claims.sub, sid: claims.sid })
  const c = await Client.ready(url, shortLived)
  const error = await c.next((f) => f.type === 'error', 5000)
  t.equal(error.data.code, 'token_expired')
  t.equal((await c.closed).code, 4401)
})

t.test('an open socket renews its credential with a new auth frame; a token of another user ends it', async (t) => {
  const { app, url } = await build(t, { listen: true, env: { ...env, RELAY_ACK_TIMEOUT_MS: '40' } })
  const alice = await signedInUser(app)
  const bob = await signedInUser(app)
  const claims = JSON.parse(Buffer.from(alice.token.split('.')[1]!, 'base64url').toString())
  const shortLived = createSigner({ key: app.config.jwtSecret, algorithm: 'HS256', expiresIn: 1500 })({ sub: claims.sub, sid: claims.sid })
  const c = await Client.ready(url, shortLived)
  c.send({ type: 'auth', ref: 'renew', token: alice.token })
  t.same(await c.next((f) => f.ref === 'renew'), { type: 'ready', ref: 'renew', data: { userId: alice.id, heartbeatMs: 30000 } })
  await new Promise((resolve) => setTimeout(resolve, 2200))
  t.equal(c.ws.readyState, c.ws.OPEN, 'still open after the first token expired')

  c.send({ type: 'auth', ref: 'other', token: bob.token })
  const error = await c.reply('other')
  t.equal(error.data.code, 'invalid_token')
  t.equal((await c.closed).code, 4401)
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(app.relay.stats().connections, 0, 'the core heard of the close')
})
