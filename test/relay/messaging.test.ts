import t from 'tap'
import { build, signedInUser } from '../helper.js'
import { Client, RELAY_TEST_ENV, messageTo, open, pair } from './client.js'

t.test('a message sealed with crypto_box reaches the recipient, who opens it; the sender hears delivered', async (t) => {
  const { app, url } = await build(t, { listen: true, env: RELAY_TEST_ENV })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  const b = await Client.ready(url, bob.token, 'frame')
  t.teardown(() => { a.ws.terminate(); b.ws.terminate() })

  const sent = messageTo(bob, 'meet at the old mill at noon', 'm1')
  a.send(sent)
  const got = await b.next((f) => f.type === 'private_message')
  t.equal(got.data.senderId, alice.id)
  t.equal(got.data.seq, 1)
  t.match(got.data.id, /^[0-9a-f-]{36}$/)
  for (const field of ['message', 'nonce', 'mac', 'ephemeralKey', 'timestamp'] as const) t.equal(got.data[field], sent.data[field], `${field} unchanged`)
  t.same(Object.keys(got.data).sort(), ['ephemeralKey', 'id', 'mac', 'message', 'nonce', 'senderId', 'seq', 'timestamp'])
  t.equal(open(got.data, bob.secretKey), 'meet at the old mill at noon')
  t.equal(open(got.data, alice.secretKey), null, 'nobody else can open it')

  b.send({ type: 'ack', data: { id: got.data.id } })
  const ack = await a.reply('m1')
  t.same(ack, { type: 'ack', ref: 'm1', data: { id: got.data.id, status: 'delivered' } })
})

t.test('every live device of the recipient gets the message; sequence numbers count per recipient', async (t) => {
  const { app, url } = await build(t, { listen: true, env: RELAY_TEST_ENV })
  const { alice, bob } = await pair(app)
  const { login } = await import('../helper.js')
  const phone = await Client.ready(url, bob.token)
  const laptop = await Client.ready(url, await login(app, bob))
  const a = await Client.ready(url, alice.token)
  t.teardown(() => { for (const c of [a, phone, laptop]) c.ws.terminate() })

  a.send(messageTo(bob, 'one', 1))
  a.send(messageTo(bob, 'two', 2))
  for (const device of [phone, laptop]) {
    const frames = await device.count('private_message', 2)
    t.same(frames.map((f) => open(f.data, bob.secretKey)), ['one', 'two'])
    t.same(frames.map((f) => f.data.seq), [1, 2])
  }
  laptop.ackAll()
  t.equal((await a.reply(1)).data.status, 'delivered')
  t.equal((await a.reply(2)).data.status, 'delivered')
})

t.test('order holds over 1,000 messages, with contiguous sequence numbers', async (t) => {
  const { app, url } = await build(t, { listen: true, env: RELAY_TEST_ENV })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  const b = await Client.ready(url, bob.token)
  t.teardown(() => { a.ws.terminate(); b.ws.terminate() })
  b.ws.on('message', (data) => {
    const f = JSON.parse(String(data))
    if (f.type === 'private_message') b.send({ type: 'ack', data: { id: f.data.id } })
  })
  for (let i = 0; i < 1000; i++) a.send(messageTo(bob, `n${i}`, i))
  const frames = await b.count('private_message', 1000, 60_000)
  const texts = frames.map((f) => open(f.data, bob.secretKey))
  t.same(texts, Array.from({ length: 1000 }, (_, i) => `n${i}`), 'in the order sent')
  t.same(frames.map((f) => f.data.seq), Array.from({ length: 1000 }, (_, i) => i + 1))
  const acks = await a.count('ack', 1000, 60_000)
  t.equal(acks.filter((f) => f.data.status === 'delivered' || f.data.status === 'queued').length, 1000, 'every message acked')
})

t.test('a retry with the same nonce gets the original ack and is delivered once; another box with that nonce is a replay', async (t) => {
  const { app, url } = await build(t, { listen: true, env: RELAY_TEST_ENV })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  t.teardown(() => { a.ws.terminate() })

  const frame = messageTo(bob, 'only once', 'first')
  a.send(frame)
  const first = await a.reply('first')
  t.equal(first.data.status, 'queued', 'bob is offline')
  a.send({ ...frame, ref: 'retry' })
  const retry = await a.reply('retry')
  t.same(retry.data, first.data, 'the original ack again')

  const other = messageTo(bob, 'different text', 'replayed')
  other.data.nonce = frame.data.nonce
  a.send(other)
  const replay = await a.reply('replayed')
  t.equal(replay.type, 'error')
  t.equal(replay.data.code, 'replay')
  t.equal(replay.data.field, 'nonce')

  const b = await Client.ready(url, bob.token)
  t.teardown(() => { b.ws.terminate() })
  const got = await b.next((f) => f.type === 'private_message')
  t.equal(open(got.data, bob.secretKey), 'only once')
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.equal(b.frames.filter((f) => f.type === 'private_message').length, 1, 'delivered once')
})

t.test('timestamps outside the window are refused as stale', async (t) => {
  const { app, url } = await build(t, { listen: true, env: { ...RELAY_TEST_ENV, RELAY_REPLAY_WINDOW: '5m' } })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  t.teardown(() => { a.ws.terminate() })
  for (const [ref, offset] of [['past', -6 * 60_000], ['future', 6 * 60_000]] as const) {
    a.send(messageTo(bob, 'late', ref, Date.now() + offset))
    const reply = await a.reply(ref)
    t.equal(reply.type, 'error', ref)
    t.equal(reply.data.code, 'stale', ref)
    t.equal(reply.data.field, 'timestamp', ref)
  }
  a.send(messageTo(bob, 'on time', 'now'))
  t.equal((await a.reply('now')).type, 'ack', 'the connection carries on')
})

t.test('unknown recipients are refused by name of the field', async (t) => {
  const { app, url } = await build(t, { listen: true, env: RELAY_TEST_ENV })
  const alice = await signedInUser(app)
  const a = await Client.ready(url, alice.token)
  t.teardown(() => { a.ws.terminate() })
  const ghost = { id: crypto.randomUUID(), publicKey: alice.publicKey }
  a.send(messageTo(ghost, 'hello?', 'x'))
  const reply = await a.reply('x')
  t.equal(reply.data.code, 'unknown_recipient')
  t.equal(reply.data.field, 'recipientId')
  a.send({ ...messageTo(ghost, 'again', 'y') })
  t.equal((await a.reply('y')).data.code, 'unknown_recipient', 'not a replay: nothing was accepted')
})

t.test('the per-user rate limit answers rate_limited and keeps the connection', async (t) => {
  const { app, url } = await build(t, { listen: true, env: { ...RELAY_TEST_ENV, RELAY_RATE_BURST: '5', RELAY_RATE_PER_SECOND: '0.001', RELAY_ACK_TIMEOUT_MS: '100' } })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  t.teardown(() => { a.ws.terminate() })
  for (let i = 0; i < 12; i++) a.send(messageTo(bob, `m${i}`, i))
  const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => a.reply(i)))
  t.same(replies.map((r) => r.type === 'ack' ? 'ack' : r.data.code), [...Array(5).fill('ack'), ...Array(7).fill('rate_limited')])
  t.equal(a.ws.readyState, a.ws.OPEN, 'not closed')
  // Other users have their own buckets.
  const b = await Client.ready(url, bob.token)
  t.teardown(() => { b.ws.terminate() })
  b.send(messageTo(alice, 'hi', 'b1'))
  t.equal((await b.reply('b1')).type, 'ack')
})
