/**
 * The WebSocket cases of the official Engine.IO v4 protocol test suite
 * (socketio/socket.io docs/engine.io-protocol/v4-test-suite/test-suite.js), ported to tap against
 * our listening server at /socket.io/. Each test is named after the case it ports. The official
 * suite runs against an echo server; where our server answers differently (it speaks Socket.IO
 * inside the message packets, refuses long-polling and binary), the name says "adapted" and the
 * comment says how. Long-polling cases become the 400 that tells the client to use websocket.
 */
import t from 'tap'
import { build } from '../helper.js'
import { RawSocket, SIO_TEST_ENV } from './support.js'
import { RELAY_TEST_ENV, pair } from '../relay/client.js'

const env = { ...RELAY_TEST_ENV, ...SIO_TEST_ENV }
const PING_INTERVAL = 300
const PING_TIMEOUT = 200

t.test('Engine.IO protocol', async (t) => {
  const { app, url } = await build(t, { listen: true, env })
  // What the server enforces: the largest ciphertext in base64 plus room for the envelope.
  const MAX_PAYLOAD = Math.ceil(app.config.RELAY_MAX_CIPHERTEXT_BYTES / 3) * 4 + 1024
  const { alice } = await pair(app)

  t.test('handshake', async (t) => {
    t.test('HTTP long-polling (refused): successfully opens a session → 400 naming the websocket transport', async (t) => {
      const res = await fetch(`${url}/socket.io/?EIO=4&transport=polling`)
      t.equal(res.status, 400)
      const body = await res.json() as any
      t.equal(body.code, 'bad_request')
      t.match(body.message, /websocket transport/)
      t.same(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode'])
    })

    t.test("HTTP long-polling: fails with an invalid 'EIO' query parameter", async (t) => {
      t.equal((await fetch(`${url}/socket.io/?transport=polling`)).status, 400)
      const res = await fetch(`${url}/socket.io/?EIO=abc&transport=polling`)
      t.equal(res.status, 400)
      t.match((await res.json() as any).message, /EIO=4/)
    })

    t.test("HTTP long-polling: fails with an invalid 'transport' query parameter", async (t) => {
      t.equal((await fetch(`${url}/socket.io/?EIO=4`)).status, 400)
      t.equal((await fetch(`${url}/socket.io/?EIO=4&transport=abc`)).status, 400)
      t.equal((await fetch(`${url}/socket.io/`)).status, 400, 'a bare GET too')
    })

    t.test('HTTP long-polling: fails with an invalid request method', async (t) => {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const res = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, { method, body: '4hello' })
        t.equal(res.status, 400, method)
        t.match((await res.json() as any).message, /websocket transport/, method)
      }
    })

    t.test('WebSocket: successfully opens a session', async (t) => {
      const socket = RawSocket.open(t, url)
      const data = await socket.next()
      t.ok(typeof data === 'string' && data.startsWith('0'))
      const value = JSON.parse((data as string).substring(1))
      t.same(Object.keys(value).sort(), ['maxPayload', 'pingInterval', 'pingTimeout', 'sid', 'upgrades'])
      t.type(value.sid, 'string')
      t.same(value.upgrades, [])
      t.equal(value.pingInterval, PING_INTERVAL)
      t.equal(value.pingTimeout, PING_TIMEOUT)
      // Adapted: the official server announces 1000000; ours announces what it enforces.
      t.equal(value.maxPayload, MAX_PAYLOAD)
      socket.ws.close()
    })

    t.test("WebSocket: fails with an invalid 'EIO' query parameter", async (t) => {
      for (const query of ['transport=websocket', 'EIO=abc&transport=websocket', 'EIO=3&transport=websocket']) {
        const socket = RawSocket.open(t, url, query)
        t.equal(await socket.opened, false, query)
        await socket.closed
      }
    })

    t.test("WebSocket: fails with an invalid 'transport' query parameter", async (t) => {
      for (const query of ['EIO=4', 'EIO=4&transport=abc', 'EIO=4&transport=polling']) {
        const socket = RawSocket.open(t, url, query)
        t.equal(await socket.opened, false, query)
        await socket.closed
      }
    })
  })

  t.test('message', async (t) => {
    t.test('WebSocket: sends and receives a plain text packet (adapted: the message packet carries a Socket.IO CONNECT, answered by CONNECT)', async (t) => {
      const socket = RawSocket.open(t, url)
      t.equal(await socket.opened, true)
      await socket.next() // handshake
      socket.send('40' + JSON.stringify({ token: alice.token }))
      const data = await socket.nextPacket()
      t.match(data, /^40\{"sid":"[^"]+"\}$/)
      socket.ws.close()
    })

    t.test('WebSocket: sends and receives a binary packet (adapted: binary is refused; before CONNECT it ends the session)', async (t) => {
      const socket = RawSocket.open(t, url)
      await socket.next() // handshake
      socket.send(Buffer.from([1, 2, 3, 4]))
      const closed = await socket.closed
      t.equal(closed.code, 1008)
      t.match(closed.reason, /binary/)
    })

    t.test('WebSocket: closes the session upon invalid packet format', async (t) => {
      const socket = RawSocket.open(t, url)
      await socket.next() // handshake
      socket.send('abc')
      const closed = await socket.closed
      t.equal(closed.code, 1008)
      t.match(closed.reason, /not an Engine\.IO packet/)
    })
  })

  t.test('heartbeat', async (t) => {
    t.test('WebSocket: sends ping/pong packets', async (t) => {
      const socket = RawSocket.open(t, url)
      await socket.next() // handshake
      for (let i = 0; i < 3; i++) {
        t.equal(await socket.next(), '2')
        socket.send('3')
      }
      socket.ws.close()
    })

    t.test('WebSocket: closes the session upon ping timeout', async (t) => {
      const socket = RawSocket.open(t, url)
      t.match(await socket.next(), /^0/) // handshake
      t.equal(await socket.next(), '2', 'pinged, and we do not answer')
      const closed = await socket.closed
      // Cut without a close frame (1006), before the CONNECT deadline would close it with 1008.
      t.equal(closed.code, 1006)
    })
  })

  t.test('close', async (t) => {
    t.test('WebSocket: forcefully closes the session', async (t) => {
      const socket = RawSocket.open(t, url)
      await socket.next() // handshake
      socket.send('1')
      t.equal((await socket.closed).code, 1000)
    })
  })

  t.test('upgrade (adapted: there are no long-polling sessions to upgrade)', async (t) => {
    t.test('successfully upgrades from HTTP long-polling to WebSocket → the websocket with a sid is refused', async (t) => {
      const socket = RawSocket.open(t, url, 'EIO=4&transport=websocket&sid=abc')
      t.equal(await socket.opened, false)
    })

    t.test('ignores HTTP requests with same sid after upgrade → every polling request is a 400', async (t) => {
      const res = await fetch(`${url}/socket.io/?EIO=4&transport=polling&sid=abc`)
      t.equal(res.status, 400)
    })

    t.test('ignores WebSocket connection with same sid after upgrade → refused', async (t) => {
      const socket = RawSocket.open(t, url, 'EIO=4&transport=websocket&sid=abc')
      t.equal(await socket.opened, false)
      await socket.closed
    })

    t.test('the probe ping of an upgrade is answered with a probe pong', async (t) => {
      const socket = RawSocket.open(t, url)
      await socket.next() // handshake
      socket.send('2probe')
      t.equal(await socket.next(), '3probe')
      socket.send('5') // an upgrade packet is harmless
      socket.send('6') // so is a noop
      socket.send('40' + JSON.stringify({ token: alice.token }))
      t.match(await socket.nextPacket(), /^40\{"sid"/)
      socket.ws.close()
    })
  })
})
