import t from 'tap'
import { bearer, build, login, signedInUser } from '../helper.js'
import { Client, RELAY_TEST_ENV, messageTo, open } from '../relay/client.js'

type App = Awaited<ReturnType<typeof build>>['app']
const DAY = 86_400_000

/** Sends `count` messages from `from` (a live client) to an offline `to`, and waits until they are queued. */
async function queue (app: App, from: Client, to: { id: string, publicKey: Buffer }, texts: string[]) {
  for (const [i, text] of texts.entries()) from.send(messageTo(to, text, `${to.id}-${i}`))
  for (let i = 0; i < texts.length; i++) {
    const reply = await from.reply(`${to.id}-${i}`)
    if (reply.data?.status !== 'queued') throw new Error(`not queued: ${JSON.stringify(reply)}`)
  }
  await app.relay.flush()
}

t.test('GET /api/me/export holds everything the database holds about the caller', async (t) => {
  const { app, url } = await build(t, { listen: true, env: RELAY_TEST_ENV })
  const alice = await signedInUser(app)
  const bob = await signedInUser(app)
  await app.inject({ method: 'PATCH', url: '/api/me/settings', headers: bearer(bob.token), payload: { storeConnectionMetadata: true, dataRetentionDays: 45 } })
  await app.inject({ method: 'POST', url: '/api/login', headers: { 'user-agent': 'ExportProbe/2' }, payload: { username: bob.username, password: bob.password, deviceLabel: 'laptop' } })
  await app.inject({ method: 'POST', url: '/api/login', payload: { username: bob.username, password: 'wrong-password-77' } })
  const a = await Client.ready(url, alice.token)
  t.teardown(() => { a.ws.terminate() })
  await queue(app, a, bob, ['first secret', 'second secret'])

  const res = await app.inject({ method: 'GET', url: '/api/me/export', headers: bearer(bob.token) })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-disposition'], /attachment/)
  t.equal(res.headers['cache-control'], 'no-store')
  const doc = res.json()

  const user = await app.db.selectFrom('users').selectAll().where('id', '=', bob.id).executeTakeFirstOrThrow()
  t.match(doc.profile, { id: user.id, username: user.username, publicKey: user.public_key, createdAt: Number(user.created_at), keyRotationDate: Number(user.key_rotation_date) })
  t.same(doc.settings, { dataRetentionDays: 45, presenceVisible: true, storeConnectionMetadata: true })
  t.same(doc.keys, [{ publicKey: user.public_key, type: 'curve25519', createdAt: Number(user.key_rotation_date) }])

  const sessions = await app.db.selectFrom('sessions').selectAll().where('user_id', '=', bob.id).orderBy('created_at').execute()
  t.same(doc.sessions.map((s: { id: string }) => s.id).sort(), sessions.map((s) => s.id).sort(), 'every session, valid or not')
  const withMetadata = doc.sessions.find((s: { userAgent: string | null }) => s.userAgent === 'ExportProbe/2')
  t.match(withMetadata, { deviceLabel: 'laptop', ipAddress: '127.0.0.1', valid: true, current: false })
  t.equal(doc.sessions.filter((s: { current: boolean }) => s.current).length, 1, 'the calling session is marked')

  const events = await app.db.selectFrom('security_events').selectAll().where('user_id', '=', bob.id).where('purged', '=', 0).orderBy('chain_seq').execute()
  // The export itself is recorded once the document is assembled: it is the one event not in it.
  t.same(doc.securityEvents.map((e: { id: number }) => e.id), events.filter((e) => e.event_type !== 'data_exported').map((e) => Number(e.id)))
  t.same(doc.securityEvents.map((e: { type: string }) => e.type), ['register', 'login_success', 'settings_changed', 'login_success', 'login_failure'])
  t.equal(doc.securityEvents.at(-1).ip, '127.0.0.1', 'addresses kept by opt-in are exported')
  t.equal(events.at(-1)!.event_type, 'data_exported', 'the export is a security event')

  const queued = await app.db.selectFrom('messages').selectAll().where('recipient_id', '=', bob.id).orderBy('seq').execute()
  t.equal(doc.queuedMessages.length, 2)
  t.same(doc.queuedMessages.map((m: { message: string }) => m.message), queued.map((m) => m.message.toString('base64')), 'queued ciphertext as stored')
  t.same(doc.queuedMessages.map((m: { message: string, nonce: string, mac: string, ephemeralKey: string }) => open(m, bob.secretKey)), ['first secret', 'second secret'], 'and the owner can open it')
  t.notMatch(res.body, /first secret|second secret/, 'no plaintext, of course')
  t.notMatch(res.body, /password_hash|\$argon2/, 'no password hash')
  t.notMatch(res.body, new RegExp(alice.username), 'nothing about other users but sender ids')

  t.equal((await app.inject({ method: 'GET', url: '/api/me/export' })).statusCode, 401)
})

t.test('the purge deletes queued ciphertext older than its recipient\'s retention', async (t) => {
  const { app, url } = await build(t, { listen: true, env: RELAY_TEST_ENV })
  const alice = await signedInUser(app)
  const bob = await signedInUser(app)
  const carol = await signedInUser(app)
  await app.inject({ method: 'PATCH', url: '/api/me/settings', headers: bearer(bob.token), payload: { dataRetentionDays: 1 } })
  const a = await Client.ready(url, alice.token)
  t.teardown(() => { a.ws.terminate() })
  await queue(app, a, bob, ['old one', 'old two'])
  await queue(app, a, carol, ['kept for carol'])
  // Age the queue by two days: past bob's one-day retention, within carol's default thirty.
  await app.db.updateTable('messages').set((eb) => ({ created_at: eb('created_at', '-', 2 * DAY) })).execute()
  const counts = await app.retention.purge()
  t.equal(counts.messages, 2)
  const left = await app.db.selectFrom('messages').select('recipient_id').execute()
  t.same(left.map((m) => m.recipient_id), [carol.id])
})

t.test('deleting an account removes queued messages to and from it and closes its sockets', async (t) => {
  const { app, url } = await build(t, { listen: true, env: RELAY_TEST_ENV })
  const alice = await signedInUser(app)
  const bob = await signedInUser(app)
  const carol = await signedInUser(app)
  const a = await Client.ready(url, alice.token)
  const c = await Client.ready(url, carol.token)
  t.teardown(() => { a.ws.terminate(); c.ws.terminate() })
  await queue(app, a, bob, ['from alice'])
  await queue(app, c, bob, ['from carol'])
  const token = await login(app, bob)
  const b = await Client.ready(url, token)
  b.ws.terminate()
  // Bob is offline again; alice's messages to him and carol's wait in the queue.
  const res = await app.inject({ method: 'DELETE', url: '/api/me', headers: bearer(alice.token), payload: { password: alice.password } })
  t.equal(res.statusCode, 204)
  const closed = await a.closed
  t.ok(closed.code >= 4000 || closed.code === 1008 || closed.code === 1000, `alice's socket was closed (${closed.code})`)
  const left = await app.db.selectFrom('messages').select(['sender_id', 'recipient_id']).execute()
  t.notOk(left.some((m) => m.sender_id === alice.id || m.recipient_id === alice.id), 'nothing to or from alice')
  t.ok(left.some((m) => m.sender_id === carol.id), 'carol\'s message to bob is untouched')
})
