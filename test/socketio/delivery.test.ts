/**
 * How the shim acknowledges what it pushes (docs/SOCKETIO.md, "Acknowledgements"): in `auto`
 * mode (the default, for apps that never ack) the pong that follows a pushed message confirms
 * it; in `manual` mode only the app's callback or `ack` event does. Either way nothing is lost
 * and nothing is delivered again once confirmed.
 */
import t from 'tap'
import { build } from '../helper.js'
import { RELAY_TEST_ENV, messageTo, open, pair } from '../relay/client.js'
import { RawSocket, nextEvent, parsePacket, sioClient, sioConnected } from './support.js'

const env = { ...RELAY_TEST_ENV, RELAY_ACK_TIMEOUT_MS: '200' }

/**
 * The next frame that is not a presence event. A receipt ping waits a little for the app's own
 * acks, so the presence fan-out of a connection made just before may come first.
 */
async function nextBesidesPresence (raw: RawSocket) {
  for (;;) {
    const m = await raw.next()
    if (typeof m !== 'string' || !m.startsWith('42["user_presence"')) return m
  }
}

t.test('auto mode: an app that never acks gets each message once, and the sender hears delivered', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  const { alice, bob } = await pair(app)
  const a = await sioConnected(t, url, { token: alice.token })
  const b = await sioConnected(t, url, { token: bob.token })
  const got = nextEvent(b, 'private_message')
  const reply = a.emitWithAck('private_message', messageTo(bob, 'first').data)
  const [msg] = await got // and no callback is ever called
  t.same(await reply, { type: 'ack', data: { id: msg.id, status: 'delivered' } })
  b.disconnect()

  const again = sioClient(t, url, { token: bob.token })
  const next = nextEvent(again, 'private_message')
  await nextEvent(again, 'connect')
  await a.emitWithAck('private_message', messageTo(bob, 'second').data)
  const [second] = await next
  t.equal(open(second, bob.secretKey), 'second', 'the first one is not delivered again')
  t.equal(second.seq, 2)
})

t.test('auto mode: a message whose pong never came is delivered again on the next connection', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  const { alice, bob } = await pair(app)
  const a = await sioConnected(t, url, { token: alice.token })
  const raw = await RawSocket.connected(t, url, { token: bob.token })
  const reply = a.emitWithAck('private_message', messageTo(bob, 'unconfirmed').data)
  const pushed = parsePacket(await raw.nextPacket())
  t.equal(pushed.type, '2')
  t.type(pushed.id, 'number', 'pushed with an ack id')
  t.equal(pushed.data[0], 'private_message')
  t.equal(await nextBesidesPresence(raw), '2', 'a receipt ping follows the message')
  raw.ws.terminate() // gone before answering it
  t.match(await reply, { type: 'ack', data: { id: pushed.data[1].id, status: 'queued' } })

  const b = sioClient(t, url, { token: bob.token })
  const [again] = await nextEvent(b, 'private_message')
  t.equal(again.id, pushed.data[1].id, 'the same message again')
  t.equal(open(again, bob.secretKey), 'unconfirmed')
})

t.test('auto mode: a message confirmed by its callback is delivered, and one left unconfirmed still gets its receipt ping', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  const { alice, bob } = await pair(app)
  const a = await sioConnected(t, url, { token: alice.token })
  const raw = await RawSocket.connected(t, url, { token: bob.token })
  const reply = a.emitWithAck('private_message', messageTo(bob, 'confirmed').data)
  const pushed = parsePacket(await nextBesidesPresence(raw))
  t.equal(pushed.type, '2')
  raw.send(`43${pushed.id}[]`) // the callback, called at once
  t.same(await reply, { type: 'ack', data: { id: pushed.data[1].id, status: 'delivered' } })
  // Whether a ping for the first one went out depends on how fast the ack came back (a stalled
  // process may be late); receipts.test.ts shows that a confirmed message is not pinged for.
  const second = a.emitWithAck('private_message', messageTo(bob, 'unconfirmed').data)
  let next = await nextBesidesPresence(raw)
  if (next === '2') { raw.send('3'); next = await nextBesidesPresence(raw) }
  const message = parsePacket(next)
  t.equal(message.data[0], 'private_message')
  t.equal(await nextBesidesPresence(raw), '2', 'a receipt ping for the unconfirmed one')
  raw.send('3')
  t.same(await second, { type: 'ack', data: { id: message.data[1].id, status: 'delivered' } }, 'confirmed by the pong')
})

t.test('manual mode: unacked messages come again on every connection until the callback acks them', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  const { alice, bob } = await pair(app)
  const a = await sioConnected(t, url, { token: alice.token })
  const b1 = await sioConnected(t, url, { token: bob.token, acks: 'manual' })
  const got = nextEvent(b1, 'private_message')
  const reply = a.emitWithAck('private_message', messageTo(bob, 'keep me').data)
  const [msg] = await got
  t.match(await reply, { type: 'ack', data: { id: msg.id, status: 'queued' } }, 'no ack within RELAY_ACK_TIMEOUT_MS: stored')
  b1.disconnect()

  const b2 = sioClient(t, url, { token: bob.token, acks: 'manual' })
  const [again, ack] = await nextEvent(b2, 'private_message')
  t.equal(again.id, msg.id, 'delivered again: at least once')
  ack()
  // The ack reaches the server before the disconnect: both go down the same socket, in order.
  b2.disconnect()

  const b3 = sioClient(t, url, { token: bob.token, acks: 'manual' })
  const next = nextEvent(b3, 'private_message')
  await nextEvent(b3, 'connect')
  await a.emitWithAck('private_message', messageTo(bob, 'fresh').data)
  const [fresh] = await next
  t.equal(open(fresh, bob.secretKey), 'fresh', 'the acked one is gone')
})

t.test('manual mode: the ack event confirms by id, as on the native transport', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  const { alice, bob } = await pair(app)
  const a = await sioConnected(t, url, { token: alice.token })
  const b = await sioConnected(t, url, { token: bob.token, acks: 'manual' })
  const got = nextEvent(b, 'private_message')
  const reply = a.emitWithAck('private_message', messageTo(bob, 'by id').data)
  const [msg] = await got
  b.emit('ack', { id: msg.id })
  t.same(await reply, { type: 'ack', data: { id: msg.id, status: 'delivered' } })
  const bad = await b.emitWithAck('ack', { id: 'not-a-uuid' })
  t.match(bad, { type: 'error', data: { code: 'invalid_frame', field: 'id' } })
})

t.test('CONNECT refuses an unknown ack mode', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  const { bob } = await pair(app)
  const b = sioClient(t, url, { token: bob.token, acks: 'never' })
  const [err] = await nextEvent(b, 'connect_error')
  t.match(err.message, /acks/)
  t.same(err.data, { code: 'unauthorized' })
})

t.test('order holds over 1,000 messages from a Socket.IO sender to a Socket.IO recipient', async (t) => {
  const { app, url } = await build(t, { listen: true, env: RELAY_TEST_ENV })
  const { alice, bob } = await pair(app)
  const a = await sioConnected(t, url, { token: alice.token })
  const b = await sioConnected(t, url, { token: bob.token })
  const received: any[] = []
  const all = new Promise<void>((resolve) => b.on('private_message', (msg: any) => {
    received.push(msg)
    if (received.length === 1000) resolve()
  }))
  const acks: Array<Promise<any>> = []
  for (let i = 0; i < 1000; i++) acks.push(a.emitWithAck('private_message', messageTo(bob, `n${i}`).data))
  await all
  t.same(received.map((m) => open(m, bob.secretKey)), Array.from({ length: 1000 }, (_, i) => `n${i}`))
  t.same(received.map((m) => m.seq), Array.from({ length: 1000 }, (_, i) => i + 1), 'contiguous sequence numbers')
  const replies = await Promise.all(acks)
  t.ok(replies.every((r) => r.type === 'ack'), 'every message acked to the sender')
})

t.test('a Socket.IO reader that stops reading never makes the server buffer without bound', async (t) => {
  const limit = 64 * 1024
  const { app, url } = await build(t, { listen: true, env: { ...RELAY_TEST_ENV, RELAY_MAX_BUFFERED_BYTES: String(limit) } })
  const { alice, bob } = await pair(app)
  const a = await sioConnected(t, url, { token: alice.token })
  const raw = await RawSocket.connected(t, url, { token: bob.token })
  // Stop reading: the kernel buffers fill, then the server's send buffer grows.
  ;(raw.ws as any)._socket.pause()
  const big = 'x'.repeat(30_000)
  let peak = 0
  const replies: Array<Promise<any>> = []
  for (let i = 0; i < 300; i++) {
    replies.push(a.emitWithAck('private_message', messageTo(bob, `${i}:${big}`).data))
    if (i % 10 === 9) {
      await new Promise((resolve) => setImmediate(resolve))
      for (const client of app.websocketServer.clients) peak = Math.max(peak, client.bufferedAmount)
    }
  }
  const results = await Promise.all(replies)
  t.ok(results.every((r) => r.type === 'ack'), 'every message accepted')
  // Never more than the limit plus the one frame that crossed it.
  t.ok(peak <= limit + 60_000, `peak send buffer ${peak} stays bounded`)

  const b = sioClient(t, url, { token: bob.token })
  let count = 0
  await new Promise<void>((resolve) => b.on('private_message', () => { if (++count === 300) resolve() }))
  t.equal(count, 300, 'all delivered once the reader reads again')
})
