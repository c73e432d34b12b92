import t from 'tap'
import { build, bearer, login } from '../helper.js'
import { Client, RELAY_TEST_ENV, pair } from '../relay/client.js'
import { RawSocket, nextEvent, parsePacket, sioClient, sioConnected } from './support.js'

const env = { ...RELAY_TEST_ENV }

t.test('CONNECT without a token, with a bad, expired or revoked token: connect_error naming it, then the socket closes', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  const { alice } = await pair(app)
  const claims = app.jwt.decode<{ sub: string, sid: string }>(alice.token)!
  const past = Math.floor(Date.now() / 1000) - 60
  const expired = app.jwt.sign({ sub: claims.sub, sid: claims.sid, iat: past - 60, exp: past })
  const revokedToken = await login(app, alice)
  t.equal((await app.inject({ method: 'POST', url: '/api/logout', headers: bearer(revokedToken) })).statusCode < 300, true)
  const tampered = alice.token.slice(0, -4) + (alice.token.endsWith('AAAA') ? 'BBBB' : 'AAAA')

  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['no auth', {}, 'unauthorized'],
    ['token of the wrong type', { token: 42 }, 'unauthorized'],
    ['garbage token', { token: 'not-a-jwt' }, 'invalid_token'],
    ['tampered token', { token: tampered }, 'invalid_token'],
    ['expired token', { token: expired }, 'token_expired'],
    ['revoked token', { token: revokedToken }, 'session_revoked']
  ]
  for (const [name, auth, code] of cases) {
    const socket = sioClient(t, url, auth)
    const [err] = await nextEvent(socket, 'connect_error')
    t.equal(err.data?.code, code, name)
    t.type(err.message, 'string', name)
    t.notOk(socket.connected, name)
  }
  // On the wire: CONNECT_ERROR, then close 4401.
  const raw = RawSocket.open(t, url)
  await raw.next()
  raw.send('40' + JSON.stringify({ token: expired }))
  t.same(parsePacket(await raw.nextPacket()), { type: '4', data: { message: 'The token has expired', data: { code: 'token_expired' } } })
  t.equal((await raw.closed).code, 4401)
  // And the server carries on.
  await sioConnected(t, url, { token: alice.token })
})

t.test('logging out closes that session\'s Socket.IO sockets at once, and only those', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  const { alice } = await pair(app)
  const other = await login(app, alice)
  const a = await sioConnected(t, url, { token: alice.token })
  const b = await sioConnected(t, url, { token: other })
  const error = nextEvent(a, 'error')
  const disconnected = nextEvent(a, 'disconnect')
  const res = await app.inject({ method: 'POST', url: '/api/logout', headers: bearer(alice.token) })
  t.ok(res.statusCode < 300)
  t.match((await error)[0], { code: 'session_revoked' })
  t.equal((await disconnected)[0], 'io server disconnect', 'told not to reconnect')
  t.ok(b.connected, 'the other session stays')
  t.match(await b.emitWithAck('presence_update', { status: 'online', timestamp: Date.now() }), { type: 'ack', data: { status: 'ok' } })
})

t.test('presence over the shim: online on CONNECT, appear offline, offline on disconnect', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  const { alice, bob } = await pair(app)
  const native = await Client.ready(url, alice.token)
  t.teardown(() => { native.ws.terminate() })
  const a = await sioConnected(t, url, { token: alice.token })
  const online = async () => (await app.inject({ method: 'GET', url: '/api/users/online', headers: bearer(alice.token) })).json().items.map((u: any) => u.userId)

  const seen = nextEvent(a, 'user_presence')
  const b = await sioConnected(t, url, { token: bob.token })
  t.match((await seen)[0], { userId: bob.id, status: 'online' }, 'a Socket.IO client hears user_presence')
  await native.next((f) => f.type === 'user_presence' && f.data.userId === bob.id && f.data.status === 'online')
  t.ok((await online()).includes(bob.id))

  const hidden = nextEvent(a, 'user_presence')
  t.same(await b.emitWithAck('presence_update', { status: 'offline', timestamp: Date.now() }), { type: 'ack', data: { status: 'ok' } })
  t.match((await hidden)[0], { userId: bob.id, status: 'offline' })
  t.notOk((await online()).includes(bob.id), 'appears offline')
  const bad = await b.emitWithAck('presence_update', { status: 'away', timestamp: Date.now() })
  t.match(bad, { type: 'error', data: { code: 'invalid_frame', field: 'status' } })

  const back = nextEvent(a, 'user_presence')
  b.emit('presence_update', { status: 'online', timestamp: Date.now() })
  t.match((await back)[0], { userId: bob.id, status: 'online' })
  const gone = nextEvent(a, 'user_presence')
  b.disconnect()
  t.match((await gone)[0], { userId: bob.id, status: 'offline' })
  t.notOk((await online()).includes(bob.id))
})
