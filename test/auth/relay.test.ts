import t from 'tap'
import { build, boxKeyPair, registerUser, bearer } from '../helper.js'
import { Client } from '../relay/client.js'
import { CLOSE_CODES } from '../../plugins/relay/close-codes.js'
import { loginReply } from './support.js'

// The same paths as the other tests in this folder, against the real relay's /ws sockets.

t.test('refresh-token reuse closes the stolen session’s relay socket; others stay', async (t) => {
  const { app, url } = await build(t, { listen: true })
  const user = await registerUser(app)
  const first = (await loginReply(app, { username: user.username, password: user.password })).json()
  const other = (await loginReply(app, { username: user.username, password: user.password })).json()
  const refreshed = (await app.inject({ method: 'POST', url: '/api/token/refresh', payload: { refreshToken: first.refreshToken } })).json()
  const victim = await Client.ready(url, refreshed.token)
  const bystander = await Client.ready(url, other.token)

  const reuse = await app.inject({ method: 'POST', url: '/api/token/refresh', payload: { refreshToken: first.refreshToken } })
  t.equal(reuse.json().code, 'refresh_token_reused')
  t.equal((await victim.closed).code, CLOSE_CODES.unauthorized)
  t.equal(bystander.ws.readyState, bystander.ws.OPEN)
  bystander.ws.close()
})

t.test('revoking sessions and changing the password close relay sockets at once', async (t) => {
  const { app, url } = await build(t, { listen: true })
  const user = await registerUser(app)
  const tokens = []
  for (let i = 0; i < 3; i++) tokens.push((await loginReply(app, { username: user.username, password: user.password, deviceLabel: `d${i}` })).json().token as string)
  const [current, second, third] = tokens as [string, string, string]
  const sockets = await Promise.all(tokens.map((token) => Client.ready(url, token)))

  const secondId = (await app.inject({ url: '/api/me/sessions', headers: bearer(current) })).json().items.find((s: { deviceLabel: string }) => s.deviceLabel === 'd1').id
  t.equal((await app.inject({ method: 'DELETE', url: `/api/me/sessions/${secondId}`, headers: bearer(current) })).statusCode, 204)
  t.equal((await sockets[1]!.closed).code, CLOSE_CODES.unauthorized)
  t.equal(sockets[2]!.ws.readyState, sockets[2]!.ws.OPEN)
  t.equal((await app.inject({ url: '/api/me/sessions', headers: bearer(second) })).json().code, 'session_revoked')

  const res = await app.inject({ method: 'POST', url: '/api/me/password', headers: bearer(current), payload: { currentPassword: user.password, newPassword: 'a brand new passphrase 11' } })
  t.equal(res.statusCode, 200)
  t.equal((await sockets[2]!.closed).code, CLOSE_CODES.unauthorized)
  t.equal((await app.inject({ url: '/api/me/sessions', headers: bearer(third) })).json().code, 'session_revoked')
  t.equal(sockets[0]!.ws.readyState, sockets[0]!.ws.OPEN, 'the session that changed it stays')
  sockets[0]!.ws.close()
})

t.test('a key rotation reaches online users as a key_changed frame', async (t) => {
  const { app, url } = await build(t, { listen: true })
  const alice = await registerUser(app)
  const bob = await registerUser(app)
  const aliceToken = (await loginReply(app, { username: alice.username, password: alice.password })).json().token as string
  const bobToken = (await loginReply(app, { username: bob.username, password: bob.password })).json().token as string
  const bobSocket = await Client.ready(url, bobToken)
  const publicKey = boxKeyPair().publicKey.toString('base64')
  const res = await app.inject({ method: 'PUT', url: '/api/me/key', headers: bearer(aliceToken), payload: { publicKey } })
  t.equal(res.statusCode, 200)
  const frame = await bobSocket.next((f) => f.type === 'key_changed')
  t.same(frame.data, { userId: alice.id, publicKey, keyRotationDate: res.json().keyRotationDate })
  bobSocket.ws.close()
})
