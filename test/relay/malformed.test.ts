import t from 'tap'
import { build } from '../helper.js'
import { Client, RELAY_TEST_ENV, messageTo, open, pair } from './client.js'

const b64 = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64')

t.test('each kind of malformed frame gets an error naming the problem; the connection carries on', async (t) => {
  const { app, url } = await build(t, { listen: true, env: { ...RELAY_TEST_ENV, RELAY_INVALID_FRAME_LIMIT: '1000', RELAY_MAX_CIPHERTEXT_BYTES: '1024' } })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  const b = (await Client.ready(url, bob.token)).autoAck()
  t.teardown(() => { a.ws.terminate(); b.ws.terminate() })
  const valid = () => messageTo(bob, 'fine', undefined).data
  const pm = (data: unknown, ref = 'r') => JSON.stringify({ type: 'private_message', ref, data })

  const cases: Array<[string, string | Buffer, string | undefined, boolean?]> = [
    ['not JSON', '{"type":', undefined],
    ['empty', '', undefined],
    ['a number', '42', 'type'],
    ['an array', '[1,2]', 'type'],
    ['null', 'null', 'type'],
    ['a string', '"private_message"', 'type'],
    ['no type', JSON.stringify({ data: {} }), 'type'],
    ['type not a string', JSON.stringify({ type: 5, data: {} }), 'type'],
    ['unknown type', JSON.stringify({ type: 'hack', data: {} }), 'type'],
    ['auth with a bad envelope', JSON.stringify({ type: 'auth', token: 'x', data: {} }), 'token'],
    ['auth without a token', JSON.stringify({ type: 'auth', data: { token: '' } }), 'token'],
    ['extra top-level field', JSON.stringify({ type: 'ack', data: { id: crypto.randomUUID() }, admin: true }), 'admin'],
    ['ref of the wrong type', JSON.stringify({ type: 'ack', ref: { x: 1 }, data: { id: crypto.randomUUID() } }), 'ref'],
    ['no data', JSON.stringify({ type: 'private_message' }), 'data'],
    ['data not an object', pm('hello'), 'data'],
    ['missing recipientId', pm({ ...valid(), recipientId: undefined }), 'recipientId'],
    ['recipientId not a uuid', pm({ ...valid(), recipientId: 'bob' }), 'recipientId'],
    ['missing nonce', pm({ ...valid(), nonce: undefined }), 'nonce'],
    ['nonce 23 bytes', pm({ ...valid(), nonce: b64(23) }), 'nonce'],
    ['nonce 25 bytes', pm({ ...valid(), nonce: b64(25) }), 'nonce'],
    ['nonce not base64', pm({ ...valid(), nonce: '!'.repeat(32) }), 'nonce'],
    ['mac 15 bytes', pm({ ...valid(), mac: b64(15) }), 'mac'],
    ['ephemeralKey 31 bytes', pm({ ...valid(), ephemeralKey: b64(31) }), 'ephemeralKey'],
    ['ephemeralKey a number', pm({ ...valid(), ephemeralKey: 32 }), 'ephemeralKey'],
    ['message empty', pm({ ...valid(), message: '' }), 'message'],
    ['message not base64', pm({ ...valid(), message: 'hello world!' }), 'message'],
    ['message unpadded', pm({ ...valid(), message: 'AAAAAA' }), 'message'],
    ['message padding inside', pm({ ...valid(), message: 'AA==AAAA' }), 'message'],
    ['message three pads', pm({ ...valid(), message: 'A===' }), 'message'],
    ['message over the limit', pm({ ...valid(), message: b64(1025) }), 'message'],
    ['timestamp a string', pm({ ...valid(), timestamp: String(Date.now()) }), 'timestamp'],
    ['timestamp negative', pm({ ...valid(), timestamp: -1 }), 'timestamp'],
    ['timestamp fractional', pm({ ...valid(), timestamp: 1.5 }), 'timestamp'],
    ['extra data field', pm({ ...valid(), plaintext: 'oops' }), 'plaintext'],
    ['presence status unknown', JSON.stringify({ type: 'presence_update', ref: 'p', data: { status: 'away', timestamp: Date.now() } }), 'status'],
    ['ack without id', JSON.stringify({ type: 'ack', data: {} }), 'id'],
    ['binary frame', Buffer.from([1, 2, 3]), 'type', true]
  ]
  for (const [name, raw, field, binary] of cases) {
    const start = a.frames.length
    a.sendRaw(raw, binary === true)
    a.send(messageTo(bob, `after ${name}`, name))
    const ack = await a.reply(name)
    t.equal(ack.type, 'ack', `${name}: the next valid message is accepted`)
    const errors = a.frames.slice(start).filter((f) => f.type === 'error')
    t.equal(errors.length, 1, `${name}: one error`)
    t.equal(errors[0]?.data.code, 'invalid_frame', name)
    if (field !== undefined) t.equal(errors[0]?.data.field, field, `${name}: names ${field}`)
    t.type(errors[0]?.data.message, 'string')
    await b.next((f) => f.type === 'private_message' && open(f.data, bob.secretKey) === `after ${name}`)
  }
  a.send({ type: 'ack', ref: 'echo', data: { id: crypto.randomUUID() }, admin: true })
  const echoed = await a.reply('echo')
  t.same([echoed.type, echoed.data.field], ['error', 'admin'], 'a usable ref is echoed even when the envelope is refused')
  t.equal(a.ws.readyState, a.ws.OPEN)
})

t.test('a client that keeps sending garbage is closed with 1008; others carry on', async (t) => {
  const { app, url } = await build(t, { listen: true, env: { ...RELAY_TEST_ENV, RELAY_INVALID_FRAME_LIMIT: '5' } })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  const b = (await Client.ready(url, bob.token)).autoAck()
  t.teardown(() => { b.ws.terminate() })
  // Valid frames in between reset the count: four bad, one good, four bad stays open.
  for (let i = 0; i < 4; i++) a.sendRaw('garbage')
  a.send(messageTo(bob, 'still here', 'ok'))
  t.equal((await a.reply('ok')).type, 'ack')
  for (let i = 0; i < 4; i++) a.sendRaw('garbage')
  a.send(messageTo(bob, 'still here', 'ok2'))
  t.equal((await a.reply('ok2')).type, 'ack')
  for (let i = 0; i < 5; i++) a.sendRaw('garbage')
  t.equal((await a.closed).code, 1008)
  b.send(messageTo(alice, 'unaffected', 'b'))
  t.equal((await b.reply('b')).type, 'ack')
})

t.test('a frame over the size limit closes with 1009, before any of it is parsed', async (t) => {
  const { app, url } = await build(t, { listen: true, env: { ...RELAY_TEST_ENV, RELAY_MAX_CIPHERTEXT_BYTES: '1024' } })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  const b = await Client.ready(url, bob.token)
  t.teardown(() => { b.ws.terminate() })
  a.sendRaw(JSON.stringify({ type: 'private_message', data: { ...messageTo(bob, 'x').data, message: b64(4096) } }))
  t.equal((await a.closed).code, 1009)
  // The default is 64 KiB of ciphertext, not ws's 100 MiB.
  t.ok(app.websocketServer.options.maxPayload! < 2 * 1024 * 1024)
  b.send(messageTo(alice, 'server fine', 'b'))
  t.equal((await b.reply('b')).type, 'ack')
})

t.test('the largest allowed ciphertext passes', async (t) => {
  const { app, url } = await build(t, { listen: true, env: { ...RELAY_TEST_ENV, RELAY_MAX_CIPHERTEXT_BYTES: '4096' } })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  const b = await Client.ready(url, bob.token)
  t.teardown(() => { a.ws.terminate(); b.ws.terminate() })
  const text = 'z'.repeat(4096)
  a.send(messageTo(bob, text, 'big'))
  const got = await b.next((f) => f.type === 'private_message')
  t.equal(open(got.data, bob.secretKey), text)
})
