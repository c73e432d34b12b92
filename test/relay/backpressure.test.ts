import t from 'tap'
import type { WebSocket } from 'ws'
import { build } from '../helper.js'
import { Client, RELAY_TEST_ENV, messageTo, open, pair } from './client.js'

const LIMIT = 256 * 1024

t.test('a reader that never reads is cut off with bounded buffers; its messages wait in the queue', async (t) => {
  const { app, url } = await build(t, { listen: true, env: { ...RELAY_TEST_ENV, RELAY_MAX_BUFFERED_BYTES: String(LIMIT), RELAY_ACK_TIMEOUT_MS: '60000' } })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  t.teardown(() => { a.ws.terminate() })
  const stalled = await Client.ready(url, bob.token)
  stalled.ws.pause()
  t.teardown(() => { stalled.ws.terminate() })

  let maxBuffered = 0
  const rssBefore = process.memoryUsage().rss
  let maxRss = rssBefore
  const sample = setInterval(() => {
    for (const socket of app.websocketServer.clients as Set<WebSocket>) maxBuffered = Math.max(maxBuffered, socket.bufferedAmount)
    maxRss = Math.max(maxRss, process.memoryUsage().rss)
  }, 1)
  const count = 400
  const text = 'x'.repeat(32 * 1024)
  let sentBytes = 0
  for (let i = 0; i < count; i++) {
    const frame = messageTo(bob, `${i}:${text}`, i)
    sentBytes += frame.data.message.length
    a.send(frame)
    if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve))
  }
  const acks = await a.count('ack', count, 60_000)
  clearInterval(sample)

  t.equal(acks.filter((f) => f.data.status === 'queued').length, count, 'every message accepted and queued')
  t.equal(app.relay.stats().connections, 1, 'the stalled reader was disconnected')
  const frameSize = 48 * 1024
  t.ok(maxBuffered <= LIMIT + frameSize, `server send buffer stayed bounded (max ${maxBuffered} of ${sentBytes} bytes sent)`)
  t.ok(maxRss - rssBefore < Math.max(3 * sentBytes, 96 * 1024 * 1024), `memory bounded (rss +${Math.round((maxRss - rssBefore) / 1048576)} MiB for ${Math.round(sentBytes / 1048576)} MiB sent)`)

  // Nothing was lost: a device that reads gets every message, in order.
  const b = (await Client.ready(url, bob.token)).autoAck()
  t.teardown(() => { b.ws.terminate() })
  const frames = await b.count('private_message', count, 60_000)
  const numbers = frames.map((f) => Number(open(f.data, bob.secretKey)!.split(':')[0]))
  t.same(numbers, Array.from({ length: count }, (_, i) => i))
})

t.test('heartbeats: a connection that stops answering pings is dropped; a live one stays', async (t) => {
  const { app, url } = await build(t, { listen: true, env: { ...RELAY_TEST_ENV, RELAY_HEARTBEAT_MS: '100' } })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  t.teardown(() => { a.ws.terminate() })
  const dead = await Client.open(url, { token: bob.token, ws: { autoPong: false } })
  t.equal((await dead.next()).data.heartbeatMs, 100)
  await a.next((f) => f.type === 'user_presence' && f.data.userId === bob.id && f.data.status === 'online')
  const closed = await dead.closed
  t.equal(closed.code, 1006, 'terminated, no close handshake')
  await a.next((f) => f.type === 'user_presence' && f.data.userId === bob.id && f.data.status === 'offline')
  await new Promise((resolve) => setTimeout(resolve, 400))
  t.equal(a.ws.readyState, a.ws.OPEN, 'the client answering pings is still connected')
  t.equal(app.relay.stats().connections, 1)
})
