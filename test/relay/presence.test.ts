import t from 'tap'
import { bearer, boxKeyPair, build, login, signedInUser } from '../helper.js'
import type { App } from '../../app.js'
import { Client, RELAY_TEST_ENV, messageTo, open, pair } from './client.js'

const onlineNames = async (app: App, token: string) => {
  const res = await app.inject({ url: '/api/users/online', headers: bearer(token) })
  return (res.json().items as Array<{ username: string }>).map((i) => i.username).sort()
}
const presenceOf = (c: Client, userId: string) => c.frames.filter((f) => f.type === 'user_presence' && f.data.userId === userId).map((f) => f.data.status)
// Presence is coalesced over 50 ms: a check that nothing was sent waits well past that.
const settle = () => new Promise((resolve) => setTimeout(resolve, 250))

t.test('online with the first connection, offline (with last_seen) after the last one closes', async (t) => {
  const { app, url } = await build(t, { listen: true, env: RELAY_TEST_ENV })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  t.teardown(() => { a.ws.terminate() })
  t.same(await onlineNames(app, alice.token), [alice.username])

  const phone = await Client.ready(url, bob.token)
  const online = await a.next((f) => f.type === 'user_presence' && f.data.userId === bob.id)
  t.equal(online.data.status, 'online')
  t.type(online.data.timestamp, 'number')
  t.same(Object.keys(online.data).sort(), ['status', 'timestamp', 'userId'])
  t.same(await onlineNames(app, alice.token), [alice.username, bob.username].sort())
  t.equal(presenceOf(phone, bob.id).length, 0, 'not told about oneself')

  const laptop = await Client.ready(url, await login(app, bob))
  await phone.close()
  await settle()
  t.same(presenceOf(a, bob.id), ['online'], 'a second device and its closing change nothing')
  await laptop.close()
  await a.next((f) => f.type === 'user_presence' && f.data.userId === bob.id && f.data.status === 'offline')
  t.same(await onlineNames(app, alice.token), [alice.username])
  await settle()
  const row = await app.db.selectFrom('users').select('last_seen').where('id', '=', bob.id).executeTakeFirstOrThrow()
  t.ok(row.last_seen !== null && row.last_seen > Date.now() - 60_000, 'last_seen recorded')
})

t.test('presence_update offline: appear offline while still receiving; online again', async (t) => {
  const { app, url } = await build(t, { listen: true, env: RELAY_TEST_ENV })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  const b = await Client.ready(url, bob.token)
  t.teardown(() => { a.ws.terminate(); b.ws.terminate() })
  await a.next((f) => f.type === 'user_presence' && f.data.userId === bob.id)

  b.send({ type: 'presence_update', ref: 'p1', data: { status: 'offline', timestamp: Date.now() } })
  t.same((await b.reply('p1')).data, { status: 'ok' })
  await a.next((f) => f.type === 'user_presence' && f.data.userId === bob.id && f.data.status === 'offline')
  t.same(await onlineNames(app, alice.token), [alice.username], 'not listed')
  const lastSeen = await app.db.selectFrom('users').select('last_seen').where('id', '=', bob.id).executeTakeFirstOrThrow()
  t.not(lastSeen.last_seen, null)

  a.send(messageTo(bob, 'still reaching you', 'm'))
  const got = await b.next((f) => f.type === 'private_message')
  t.equal(open(got.data, bob.secretKey), 'still reaching you')

  b.send({ type: 'presence_update', data: { status: 'online', timestamp: Date.now() } })
  await a.next(() => presenceOf(a, bob.id).length === 3)
  t.same(presenceOf(a, bob.id), ['online', 'offline', 'online'])
  t.same(await onlineNames(app, alice.token), [alice.username, bob.username].sort())

  b.send({ type: 'presence_update', ref: 'old', data: { status: 'offline', timestamp: Date.now() - 3_600_000 } })
  t.equal((await b.reply('old')).data.code, 'stale')
})

t.test('a user who hides presence is never shown, and shows again when they allow it', async (t) => {
  const { app, url } = await build(t, { listen: true, env: RELAY_TEST_ENV })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  const b = await Client.ready(url, bob.token)
  t.teardown(() => { a.ws.terminate() })
  await a.next((f) => f.type === 'user_presence' && f.data.userId === bob.id)

  const hide = await app.inject({ method: 'PATCH', url: '/api/me/settings', headers: bearer(bob.token), payload: { presenceVisible: false } })
  t.equal(hide.statusCode, 200)
  await a.next((f) => f.type === 'user_presence' && f.data.userId === bob.id && f.data.status === 'offline')
  t.same(await onlineNames(app, alice.token), [alice.username])

  await b.close()
  const again = await Client.ready(url, bob.token)
  t.teardown(() => { again.ws.terminate() })
  again.send({ type: 'presence_update', data: { status: 'online', timestamp: Date.now() } })
  await settle()
  t.same(presenceOf(a, bob.id), ['online', 'offline'], 'reconnecting while hidden says nothing')
  t.same(await onlineNames(app, alice.token), [alice.username])

  await app.inject({ method: 'PATCH', url: '/api/me/settings', headers: bearer(bob.token), payload: { presenceVisible: true } })
  await a.next((f) => f.type === 'user_presence' && f.data.userId === bob.id && presenceOf(a, bob.id).length === 3)
  t.same(presenceOf(a, bob.id), ['online', 'offline', 'online'])
  t.same(await onlineNames(app, alice.token), [alice.username, bob.username].sort())
})

t.test('a key rotation reaches online users as key_changed', async (t) => {
  const { app, url } = await build(t, { listen: true, env: RELAY_TEST_ENV })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  t.teardown(() => { a.ws.terminate() })
  const { publicKey } = boxKeyPair()
  const res = await app.inject({ method: 'PUT', url: '/api/me/key', headers: bearer(bob.token), payload: { publicKey: publicKey.toString('base64') } })
  t.equal(res.statusCode, 200)
  const changed = await a.next((f) => f.type === 'key_changed')
  t.same(changed.data, { userId: bob.id, publicKey: publicKey.toString('base64'), keyRotationDate: res.json().keyRotationDate })
})

t.test('a deleted account is closed at once, shown offline, and no longer a recipient', async (t) => {
  const { app, url } = await build(t, { listen: true, env: RELAY_TEST_ENV })
  const alice = await signedInUser(app)
  const bob = await signedInUser(app)
  const a = await Client.ready(url, alice.token)
  const b = await Client.ready(url, bob.token)
  t.teardown(() => { a.ws.terminate() })
  a.send(messageTo(bob, 'hi', 1))
  await b.next((f) => f.type === 'private_message')
  b.ackAll()
  await a.reply(1)
  await a.next((f) => f.type === 'user_presence' && f.data.userId === bob.id && f.data.status === 'online')

  const res = await app.inject({ method: 'DELETE', url: '/api/me', headers: bearer(bob.token), payload: { password: bob.password } })
  t.equal(res.statusCode, 204)
  t.equal((await b.next((f) => f.type === 'error')).data.code, 'session_revoked')
  t.equal((await b.closed).code, 4401)
  await a.next((f) => f.type === 'user_presence' && f.data.userId === bob.id && f.data.status === 'offline')
  a.send(messageTo(bob, 'anyone?', 2))
  t.equal((await a.reply(2)).data.code, 'unknown_recipient', 'the recipient cache forgot bob')
})

t.test('presence changes are coalesced: a user who flaps within the window causes no frame', async (t) => {
  const { app, url } = await build(t, { listen: true, env: RELAY_TEST_ENV })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  const b = await Client.ready(url, bob.token)
  t.teardown(() => { a.ws.terminate(); b.ws.terminate() })
  await a.next((f) => f.type === 'user_presence' && f.data.userId === bob.id)
  b.send({ type: 'presence_update', data: { status: 'offline', timestamp: Date.now() } })
  b.send({ type: 'presence_update', ref: 'back', data: { status: 'online', timestamp: Date.now() } })
  await b.reply('back')
  await settle()
  t.same(presenceOf(a, bob.id), ['online'], 'offline and back at once: nothing to tell')
})
