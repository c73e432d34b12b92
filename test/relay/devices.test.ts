import t, { type Test } from 'tap'
import { bearer, build, login } from '../helper.js'
import { Client, RELAY_TEST_ENV, messageTo, open, pair } from './client.js'

/** At-least-once per device: each session that has connected is a device with its own cursor. */

type App = Awaited<ReturnType<typeof build>>['app']

const queuedSeqs = async (app: App, userId: string) => {
  await app.relay.flush()
  const rows = await app.db.selectFrom('messages').select('seq').where('recipient_id', '=', userId).orderBy('seq').execute()
  return rows.map((r) => Number(r.seq))
}

const privateMessages = (client: Client) => client.frames.filter((f) => f.type === 'private_message')
const settle = async () => await new Promise((resolve) => setTimeout(resolve, 100))

/**
 * Bob with two devices: the laptop has connected once and left, the phone is live and acks
 * everything; alice is connected.
 */
async function phoneAndLaptop (t: Test, env: Record<string, string> = {}) {
  const { app, url } = await build(t, { listen: true, env: { ...RELAY_TEST_ENV, ...env } })
  const { alice, bob } = await pair(app)
  const laptopToken = await login(app, bob)
  await (await Client.ready(url, laptopToken)).close()
  const phone = (await Client.ready(url, bob.token)).autoAck()
  const a = await Client.ready(url, alice.token)
  t.teardown(() => { a.ws.terminate(); phone.ws.terminate() })
  return { app, url, alice, bob, laptopToken, phone, a }
}

t.test('a device that was offline receives what another device already acked; the queue empties when both have', async (t) => {
  const { app, url, bob, laptopToken, phone, a } = await phoneAndLaptop(t)

  for (let i = 0; i < 3; i++) a.send(messageTo(bob, `m${i}`, i))
  for (let i = 0; i < 3; i++) t.equal((await a.reply(i)).data.status, 'delivered', 'the phone acked it')
  const live = await phone.count('private_message', 3)
  t.same(await queuedSeqs(app, bob.id), [1, 2, 3], 'kept for the laptop')

  const laptop = await Client.ready(url, laptopToken)
  const caught = await laptop.count('private_message', 3)
  t.same(caught.map((f) => open(f.data, bob.secretKey)), ['m0', 'm1', 'm2'])
  t.same(caught.map((f) => f.data.id), live.map((f) => f.data.id), 'same ids as the phone got')
  t.same(caught.map((f) => f.data.seq), [1, 2, 3])
  laptop.ackAll()
  await settle()
  t.same(await queuedSeqs(app, bob.id), [], 'every device has them: deleted')
  await laptop.close()

  const phoneAgain = await Client.ready(url, bob.token)
  await settle()
  t.equal(privateMessages(phoneAgain).length, 0, 'the phone does not get them again')
  phoneAgain.ws.terminate()

  await app.relay.flush()
  // Exported from a third session that never connected to the relay.
  const exported = (await app.inject({ method: 'GET', url: '/api/me/export', headers: bearer(await login(app, bob)) })).json()
  const progress = exported.sessions.map((s: { deliveredUpTo: number | null }) => s.deliveredUpTo).sort()
  t.same(progress, [3, 3, null], 'the export shows each device\'s progress, and null for a session that is no device')
})

t.test('two live devices: one that closes without acking gets the message again, the other does not', async (t) => {
  const { app, url } = await build(t, { listen: true, env: { ...RELAY_TEST_ENV, RELAY_ACK_TIMEOUT_MS: '60000' } })
  const { alice, bob } = await pair(app)
  const laptopToken = await login(app, bob)
  const phone = (await Client.ready(url, bob.token)).autoAck()
  const laptop = await Client.ready(url, laptopToken)
  const a = await Client.ready(url, alice.token)
  t.teardown(() => { a.ws.terminate() })

  a.send(messageTo(bob, 'both of you', 'q'))
  t.equal((await a.reply('q')).data.status, 'delivered')
  const first = await laptop.next((f) => f.type === 'private_message')
  await phone.next((f) => f.type === 'private_message')
  await settle()
  t.same(await queuedSeqs(app, bob.id), [], 'not stored while both devices are live')
  await laptop.close()
  t.same(await queuedSeqs(app, bob.id), [1], 'stored when the laptop left without acking')

  const laptopAgain = await Client.ready(url, laptopToken)
  const again = await laptopAgain.next((f) => f.type === 'private_message')
  t.equal(again.data.id, first.data.id)
  await phone.close()
  const phoneAgain = await Client.ready(url, bob.token)
  laptopAgain.ackAll()
  await settle()
  t.equal(privateMessages(phoneAgain).length, 0, 'the phone acked it: not sent again')
  t.same(await queuedSeqs(app, bob.id), [])
  laptopAgain.ws.terminate()
  phoneAgain.ws.terminate()
})

t.test('a device whose session ends stops holding the queue', async (t) => {
  const { app, bob, laptopToken: oldToken, phone, a } = await phoneAndLaptop(t)
  a.send(messageTo(bob, 'held for the old device', 1))
  await a.reply(1)
  await phone.next((f) => f.type === 'private_message')
  await settle()
  t.same(await queuedSeqs(app, bob.id), [1], 'held while the old session is valid')

  const res = await app.inject({ method: 'POST', url: '/api/logout', headers: bearer(oldToken) })
  t.equal(res.statusCode, 204)
  t.same(await queuedSeqs(app, bob.id), [], 'gone once no valid device lacks it')
})

t.test('a new device receives what no device has received yet, not what the others already acked', async (t) => {
  const { app, url, bob, phone, a } = await phoneAndLaptop(t)
  a.send(messageTo(bob, 'seen by the phone', 1))
  await a.reply(1)
  await phone.count('private_message', 1)
  await settle()
  await phone.close()
  a.send(messageTo(bob, 'seen by nobody', 2))
  t.equal((await a.reply(2)).data.status, 'queued')

  const tablet = await Client.ready(url, await login(app, bob))
  const got = await tablet.next((f) => f.type === 'private_message')
  t.equal(open(got.data, bob.secretKey), 'seen by nobody')
  t.equal(got.data.seq, 2)
  await settle()
  t.equal(privateMessages(tablet).length, 1, 'history other devices received stays theirs')
  tablet.ws.terminate()
})

t.test('the first device of a user receives everything queued before it existed', async (t) => {
  const { app, url } = await build(t, { listen: true, env: RELAY_TEST_ENV })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  t.teardown(() => { a.ws.terminate() })
  for (let i = 0; i < 3; i++) a.send(messageTo(bob, `early ${i}`, i))
  for (let i = 0; i < 3; i++) t.equal((await a.reply(i)).data.status, 'queued')
  const b = await Client.ready(url, await login(app, bob))
  const frames = await b.count('private_message', 3)
  t.same(frames.map((f) => f.data.seq), [1, 2, 3])
  b.ws.terminate()
})

t.test('queue quota: each device is told only of the drops it had not received', async (t) => {
  const { app, url, bob, laptopToken, phone, a } = await phoneAndLaptop(t, { RELAY_QUEUE_QUOTA: '3' })
  for (let i = 0; i < 3; i++) {
    a.send(messageTo(bob, `m${i}`, i))
    await a.reply(i)
  }
  await phone.count('private_message', 3)
  await settle()
  await app.relay.flush()
  for (let i = 3; i < 5; i++) {
    a.send(messageTo(bob, `m${i}`, i))
    await a.reply(i)
  }
  await phone.count('private_message', 5)
  t.same(await queuedSeqs(app, bob.id), [3, 4, 5], 'the oldest two went over the quota')

  const laptop = await Client.ready(url, laptopToken)
  const dropped = await laptop.next((f) => f.type === 'dropped')
  t.same(dropped.data, { count: 2 }, 'the laptop never got seq 1 and 2')
  const frames = await laptop.count('private_message', 3)
  t.same(frames.map((f) => f.data.seq), [3, 4, 5])
  await settle()
  t.equal(phone.frames.filter((f) => f.type === 'dropped').length, 0, 'the phone had them all: no notice')
  laptop.ws.terminate()
})

t.test('device cursors survive a restart', async (t) => {
  const first = await build(t, { listen: true, env: RELAY_TEST_ENV })
  const { alice, bob } = await pair(first.app)
  const laptopToken = await login(first.app, bob)
  await (await Client.ready(first.url, laptopToken)).close()
  const phone = (await Client.ready(first.url, bob.token)).autoAck()
  const a = await Client.ready(first.url, alice.token)
  a.send(messageTo(bob, 'before the restart', 1))
  await a.reply(1)
  await phone.count('private_message', 1)
  await settle()
  a.ws.terminate()
  await phone.close()
  await first.app.close()

  const second = await build(t, { listen: true, env: RELAY_TEST_ENV, dataDir: first.dataDir })
  const phoneAgain = await Client.ready(second.url, bob.token)
  const laptop = await Client.ready(second.url, laptopToken)
  const got = await laptop.next((f) => f.type === 'private_message')
  t.equal(open(got.data, bob.secretKey), 'before the restart')
  await settle()
  t.equal(privateMessages(phoneAgain).length, 0, 'the phone acked it before the restart')
  phoneAgain.ws.terminate()
  laptop.ws.terminate()
})

t.test('acks for ids a connection was never sent are ignored', async (t) => {
  const { app, url } = await build(t, { listen: true, env: { ...RELAY_TEST_ENV, RELAY_ACK_TIMEOUT_MS: '60000' } })
  const { alice, bob } = await pair(app)
  const laptopToken = await login(app, bob)
  await (await Client.ready(url, laptopToken)).close()
  const a = await Client.ready(url, alice.token)
  t.teardown(() => { a.ws.terminate() })
  a.send(messageTo(bob, 'for bob only', 1))
  await a.reply(1)
  // Alice knows nothing she could ack for bob, and bob's phone acks an id it was never sent.
  const phone = await Client.ready(url, bob.token)
  const msg = await phone.next((f) => f.type === 'private_message')
  a.send({ type: 'ack', data: { id: msg.data.id } })
  phone.send({ type: 'ack', data: { id: '00000000-0000-4000-8000-000000000000' } })
  await settle()
  t.same(await queuedSeqs(app, bob.id), [1], 'still there for both of bob\'s devices')
  phone.ws.terminate()
})

t.test('a live device that never acks is closed before its unacked messages grow without bound; they stay queued', async (t) => {
  const { app, url } = await build(t, { listen: true, env: RELAY_TEST_ENV })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  const silent = await Client.ready(url, bob.token)
  t.teardown(() => { a.ws.terminate() })
  // Four catch-up pages of 500: past them the connection is closed as a slow reader.
  const total = 2001
  for (let i = 0; i < total; i++) a.send(messageTo(bob, `m${i}`))
  const closed = await silent.closed
  t.equal(closed.code, 1013)
  t.match(closed.reason, /unacked/)

  const b = (await Client.ready(url, bob.token)).autoAck()
  const frames = await b.count('private_message', total, 60_000)
  t.same(frames.map((f) => f.data.seq), Array.from({ length: total }, (_, i) => i + 1), 'every one, in order')
  b.ws.terminate()
})
