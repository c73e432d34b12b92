/**
 * The Socket.IO section of the official Socket.IO v5 protocol test suite
 * (socketio/socket.io docs/socket.io-protocol/v5-test-suite/test-suite.js), ported to tap with a
 * raw `ws` client against our listening server. Its Engine.IO section repeats the Engine.IO v4
 * suite at /socket.io/ and is ported in engineio-protocol.test.ts. The official server echoes
 * events ("message-back") and accepts any namespace; ours requires `auth: {token}`, serves only
 * `/`, relays our events and answers malformed packets with an error instead of closing at once:
 * those cases say "adapted" and check our behaviour instead.
 */
import t from 'tap'
import { build } from '../helper.js'
import { RELAY_TEST_ENV, messageTo, pair } from '../relay/client.js'
import { RawSocket, SIO_TEST_ENV, parsePacket } from './support.js'

const INVALID_LIMIT = 3
const env = { ...RELAY_TEST_ENV, ...SIO_TEST_ENV, RELAY_INVALID_FRAME_LIMIT: String(INVALID_LIMIT) }

t.test('Socket.IO protocol', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  const { alice, bob } = await pair(app)
  const auth = { token: alice.token }

  t.test('connect', async (t) => {
    t.test('should allow connection to the main namespace (adapted: with auth {token})', async (t) => {
      const socket = RawSocket.open(t, url)
      await socket.next() // Engine.IO handshake
      socket.send('40' + JSON.stringify(auth))
      const data = await socket.nextPacket()
      t.ok(typeof data === 'string' && data.startsWith('40'))
      const handshake = JSON.parse((data as string).substring(2))
      t.same(Object.keys(handshake), ['sid'])
      t.type(handshake.sid, 'string')
    })

    t.test('should allow connection to the main namespace (adapted: without a token it is refused)', async (t) => {
      const socket = RawSocket.open(t, url)
      await socket.next()
      socket.send('40')
      const refused = parsePacket(await socket.nextPacket())
      t.equal(refused.type, '4')
      t.match(refused.data, { message: /auth/, data: { code: 'unauthorized' } })
      t.equal((await socket.closed).code, 4401)
    })

    t.test('should allow connection to the main namespace with a payload (adapted: a bad token gets CONNECT_ERROR, then close 4401)', async (t) => {
      const socket = RawSocket.open(t, url)
      await socket.next()
      socket.send('40{"token":"123"}')
      const refused = parsePacket(await socket.nextPacket())
      t.equal(refused.type, '4')
      t.same(refused.data, { message: 'The token is invalid', data: { code: 'invalid_token' } })
      t.equal((await socket.closed).code, 4401)
    })

    for (const [name, packet, nsp] of [
      ['should allow connection to a custom namespace (adapted: refused)', '40/custom,', '/custom'],
      ['should allow connection to a custom namespace with a payload (adapted: refused)', `40/custom,${JSON.stringify(auth)}`, '/custom'],
      ['should disallow connection to an unknown namespace', '40/random', '/random']
    ]) {
      t.test(name!, async (t) => {
        const socket = RawSocket.open(t, url)
        await socket.next()
        socket.send(packet!)
        t.equal(await socket.nextPacket(), `44${nsp},{"message":"Invalid namespace"}`)
        // The Engine.IO session stays: the main namespace can still be joined.
        socket.send('40' + JSON.stringify(auth))
        t.match(await socket.nextPacket(), /^40\{"sid"/)
      })
    }

    t.test('should disallow connection with an invalid handshake', async (t) => {
      const socket = RawSocket.open(t, url)
      await socket.next()
      socket.send('4abc')
      t.equal((await socket.closed).code, 1008)
    })

    t.test('should disallow connection with an invalid handshake (an EVENT before CONNECT)', async (t) => {
      const socket = RawSocket.open(t, url)
      await socket.next()
      socket.send('42["private_message",{}]')
      const closed = await socket.closed
      t.equal(closed.code, 1008)
      t.match(closed.reason, /CONNECT/)
    })

    t.test('should close the connection if no handshake is received', async (t) => {
      const socket = RawSocket.open(t, url)
      await socket.next()
      // Pings are answered, so only the missing CONNECT can end it.
      for (;;) {
        const m = await socket.next().catch(() => null)
        if (m === null) break
        if (m === '2') socket.send('3')
      }
      const closed = await socket.closed
      t.equal(closed.code, 1008)
      t.match(closed.reason, /no CONNECT/)
    })
  })

  t.test('disconnect', async (t) => {
    t.test('should disconnect from the main namespace', async (t) => {
      const socket = await RawSocket.connected(t, url, auth)
      socket.send('41')
      t.equal(await socket.next(), '2')
      // Adapted: the Engine.IO session lives on and may CONNECT again.
      socket.send('3')
      socket.send('40' + JSON.stringify(auth))
      t.match(await socket.nextPacket(), /^40\{"sid"/)
    })

    t.test('should connect then disconnect from a custom namespace (adapted: the custom one is refused; the main one carries on)', async (t) => {
      const socket = await RawSocket.connected(t, url, auth)
      socket.send('40/custom')
      t.equal(await socket.nextPacket(), '44/custom,{"message":"Invalid namespace"}')
      socket.send('41/custom')
      socket.send(`421${JSON.stringify(['presence_update', { status: 'online', timestamp: Date.now() }])}`)
      t.same(parsePacket(await socket.nextPacket()), { type: '3', id: 1, data: [{ type: 'ack', data: { status: 'ok' } }] })
    })
  })

  t.test('message', async (t) => {
    t.test('should send a plain-text packet (adapted: a private_message; the ack comes as an event)', async (t) => {
      const socket = await RawSocket.connected(t, url, auth)
      socket.send('42' + JSON.stringify(['private_message', messageTo(bob, 'plain').data]))
      const reply = parsePacket(await socket.nextPacket())
      t.equal(reply.type, '2')
      t.equal(reply.data[0], 'ack')
      t.match(reply.data[1], { id: /^[0-9a-f-]{36}$/, status: 'queued' })
    })

    t.test('should send a plain-text packet (adapted: an unknown event gets an error event)', async (t) => {
      const socket = await RawSocket.connected(t, url, auth)
      socket.send('42["message",1,"2",{"3":[true]}]')
      const reply = parsePacket(await socket.nextPacket())
      t.same(reply.data[0], 'error')
      t.match(reply.data[1], { code: 'invalid_frame', field: 'type', message: /unknown event/ })
    })

    t.test('should send a packet with binary attachments (adapted: refused with an error; the attachments are swallowed)', async (t) => {
      const socket = await RawSocket.connected(t, url, auth)
      socket.send('452-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]')
      socket.send(Buffer.from([1, 2, 3]))
      socket.send(Buffer.from([4, 5, 6]))
      const reply = parsePacket(await socket.nextPacket())
      t.equal(reply.data[0], 'error')
      t.match(reply.data[1], { code: 'invalid_frame', field: 'attachments', message: /binary/ })
      socket.send('421' + JSON.stringify(['presence_update', { status: 'online', timestamp: Date.now() }]))
      t.same(parsePacket(await socket.nextPacket()), { type: '3', id: 1, data: [{ type: 'ack', data: { status: 'ok' } }] }, 'one error only, and the next packet works')
    })

    t.test('should send a plain-text packet with an ack (adapted: the ack callback gets the relay reply)', async (t) => {
      const socket = await RawSocket.connected(t, url, auth)
      socket.send('42456' + JSON.stringify(['private_message', messageTo(bob, 'with ack').data]))
      const reply = parsePacket(await socket.nextPacket())
      t.equal(reply.type, '3')
      t.equal(reply.id, 456)
      t.match(reply.data, [{ type: 'ack', data: { id: /^[0-9a-f-]{36}$/, status: 'queued' } }])
    })

    t.test('should send a packet with binary attachments and an ack (adapted: the refusal goes to the ack)', async (t) => {
      const socket = await RawSocket.connected(t, url, auth)
      socket.send('452-789["message-with-ack",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]')
      socket.send(Buffer.from([1, 2, 3]))
      socket.send(Buffer.from([4, 5, 6]))
      const reply = parsePacket(await socket.nextPacket())
      t.equal(reply.type, '3')
      t.equal(reply.id, 789)
      t.match(reply.data, [{ type: 'error', data: { code: 'invalid_frame', field: 'attachments' } }])
    })

    for (const [name, packet] of [
      ['should close the connection upon invalid format (unknown packet type)', '4abc'],
      ['should close the connection upon invalid format (invalid payload format)', '42{}'],
      ['should close the connection upon invalid format (invalid ack id)', '42abc["message-with-ack",1,"2",{"3":[false]}]']
    ]) {
      t.test(`${name!} (adapted: an error first, the close after ${INVALID_LIMIT} in a row)`, async (t) => {
        const socket = await RawSocket.connected(t, url, auth)
        for (let i = 1; i <= INVALID_LIMIT; i++) {
          socket.send(packet!)
          const reply = parsePacket(await socket.nextPacket())
          t.equal(reply.data[0], 'error')
          t.match(reply.data[1], { code: 'invalid_frame', message: /not a Socket\.IO packet/ })
        }
        const closed = await socket.closed
        t.equal(closed.code, 1008)
      })
    }
  })
})
