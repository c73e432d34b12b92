import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { build } from '../helper.js'
import { Client, RELAY_TEST_ENV, messageTo, open, pair } from '../relay/client.js'
import { nextEvent, sioClient, sioConnected } from './support.js'

const env = { ...RELAY_TEST_ENV }

t.test('socket.io-client: a crypto_box message reaches the recipient, who opens it; acks through callbacks', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  const { alice, bob } = await pair(app)
  const a = await sioConnected(t, url, { token: alice.token })
  const b = await sioConnected(t, url, { token: bob.token })

  const received = new Promise<any[]>((resolve) => b.once('private_message', (...args: any[]) => resolve(args)))
  const sent = messageTo(bob, 'the key is under the third stone').data
  const reply = a.emitWithAck('private_message', sent)
  const [msg, ackCallback] = await received
  t.equal(msg.senderId, alice.id)
  t.equal(msg.seq, 1)
  for (const field of ['message', 'nonce', 'mac', 'ephemeralKey', 'timestamp']) t.equal(msg[field], (sent as any)[field], `${field} unchanged`)
  t.equal(open(msg, bob.secretKey), 'the key is under the third stone')
  t.equal(open(msg, alice.secretKey), null, 'nobody else can open it')
  t.type(ackCallback, 'function', 'the recipient gets a callback to ack with')
  ackCallback()
  t.same(await reply, { type: 'ack', data: { id: msg.id, status: 'delivered' } })
})

t.test('socket.io-client: refusals come through the ack callback, or as an error event without one', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  const { alice, bob } = await pair(app)
  const a = await sioConnected(t, url, { token: alice.token })
  const good = messageTo(bob, 'x').data

  const badNonce = await a.emitWithAck('private_message', { ...good, nonce: 'AAAA' })
  t.match(badNonce, { type: 'error', data: { code: 'invalid_frame', field: 'nonce' } })
  const stale = await a.emitWithAck('private_message', { ...messageTo(bob, 'old').data, timestamp: Date.now() - 3_600_000 })
  t.match(stale, { type: 'error', data: { code: 'stale' } })
  const nobody = await a.emitWithAck('private_message', { ...messageTo(bob, 'y').data, recipientId: '00000000-0000-4000-8000-000000000000' })
  t.match(nobody, { type: 'error', data: { code: 'unknown_recipient' } })
  const unknown = await a.emitWithAck('shout', { hello: 1 })
  t.match(unknown, { type: 'error', data: { code: 'invalid_frame', field: 'type' } })
  const twoArgs = await a.emitWithAck('private_message', good, 'extra')
  t.match(twoArgs, { type: 'error', data: { code: 'invalid_frame', field: 'data' } })
  const extraField = await a.emitWithAck('private_message', { ...messageTo(bob, 'z').data, plaintext: 'leak' })
  t.match(extraField, { type: 'error', data: { code: 'invalid_frame' } })

  const error = nextEvent(a, 'error')
  a.emit('private_message', { ...good, mac: 'not base64!' })
  const [data] = await error
  t.match(data, { code: 'invalid_frame', field: 'mac' })

  // The connection carries on: a good message is accepted, then its retry gets the same ack.
  const first = await a.emitWithAck('private_message', good)
  t.match(first, { type: 'ack', data: { status: 'queued' } })
  t.same(await a.emitWithAck('private_message', good), first, 'a retry with the same nonce is idempotent')
  const replay = await a.emitWithAck('private_message', { ...messageTo(bob, 'other').data, nonce: good.nonce })
  t.match(replay, { type: 'error', data: { code: 'replay' } })
})

t.test('across transports: native ws sender to a Socket.IO recipient, and back', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  const { alice, bob } = await pair(app)
  const native = await Client.ready(url, alice.token)
  t.teardown(() => { native.ws.terminate() })
  const b = await sioConnected(t, url, { token: bob.token })

  const got = nextEvent(b, 'private_message')
  native.send(messageTo(bob, 'from the native side', 'n1'))
  const [msg, ack] = await got
  t.equal(open(msg, bob.secretKey), 'from the native side')
  ack()
  t.same((await native.reply('n1')).data, { id: msg.id, status: 'delivered' })

  const reply = b.emitWithAck('private_message', messageTo(alice, 'and from socket.io').data)
  const back = await native.next((f) => f.type === 'private_message')
  t.equal(open(back.data, alice.secretKey), 'and from socket.io')
  native.send({ type: 'ack', data: { id: back.data.id } })
  t.same(await reply, { type: 'ack', data: { id: back.data.id, status: 'delivered' } })
})

t.test('offline delivery: queued while away, delivered in order on CONNECT, also after a restart', async (t) => {
  const first = await build(t, { listen: true, env })
  const { alice, bob } = await pair(first.app)
  const a = await sioConnected(t, first.url, { token: alice.token })
  for (const text of ['one', 'two']) {
    t.match(await a.emitWithAck('private_message', messageTo(bob, text).data), { type: 'ack', data: { status: 'queued' } })
  }
  a.disconnect()
  await first.app.close()

  const second = await build(t, { listen: true, env, dataDir: first.dataDir })
  const texts: string[] = []
  // Queued messages follow the CONNECT at once: listen before connecting.
  const b = sioClient(t, second.url, { token: bob.token })
  await new Promise<void>((resolve) => {
    b.on('private_message', (msg: any) => {
      texts.push(open(msg, bob.secretKey) ?? '?')
      if (texts.length === 2) resolve()
    })
  })
  t.same(texts, ['one', 'two'])
})

t.test('the database and the logs never hold the plaintext', async (t) => {
  const marker = 'PLAINTEXT-MARKER-7f3a91'
  const { app, url, logs, dataDir } = await build(t, { listen: true, env })
  const { alice, bob } = await pair(app)
  const a = await sioConnected(t, url, { token: alice.token })
  t.match(await a.emitWithAck('private_message', messageTo(bob, marker).data), { type: 'ack', data: { status: 'queued' } })
  const b = sioClient(t, url, { token: bob.token, acks: 'manual' })
  const [msg] = await nextEvent(b, 'private_message')
  t.equal(open(msg, bob.secretKey), marker)
  await app.relay.flush()
  for (const file of readdirSync(dataDir)) {
    t.notOk(readFileSync(join(dataDir, file)).includes(marker), `${file} has no plaintext`)
  }
  t.notOk(logs.join('').includes(marker), 'logs have no plaintext')
  t.notOk(logs.join('').includes(alice.token), 'logs have no token')
})
