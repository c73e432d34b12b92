/**
 * Property-based tests: arbitrary and mutated Engine.IO/Socket.IO frames thrown at a live shim.
 * No frame crashes it, gets a message past validation, or stops the next valid message.
 */
import t from 'tap'
import fc from 'fast-check'
import { build } from '../helper.js'
import { RELAY_TEST_ENV, messageTo, pair } from '../relay/client.js'
import { createFrameValidator } from '../../plugins/relay/frame-validator.js'
import { decodeEngine, isCodecError } from '../../plugins/relay/socketio/engine-codec.js'
import { decodeSocket } from '../../plugins/relay/socketio/socket-codec.js'
import { RawSocket, parsePacket, type Message } from './support.js'

const validator = createFrameValidator(65536)

/** Frames that end the session by design (Engine.IO close, DISCONNECT from `/`): not garbage. */
function endsSession (frame: Message): boolean {
  if (typeof frame !== 'string') return false
  const engine = decodeEngine(frame, false)
  if (isCodecError(engine) || engine.type !== 'message') return !isCodecError(engine) && engine.type === 'close'
  const packet = decodeSocket(engine.data)
  return !isCodecError(packet) && packet.type === 'disconnect' && packet.nsp === '/'
}

t.test('property: no frame, however malformed, crashes the shim, escapes validation or stops the next valid message', async (t) => {
  const { app, url, logs } = await build(t, { listen: true, env: { ...RELAY_TEST_ENV, RELAY_HEARTBEAT_MS: '60000' } })
  const { alice, bob } = await pair(app)
  const socket = await RawSocket.connected(t, url, { token: alice.token })
  let probeId = 1_000_000_000
  const accepted: unknown[] = []

  /** Sends one frame, then a valid message with a fresh ack id; resolves once that ack arrives. */
  async function survives (frame: Message): Promise<boolean> {
    socket.send(frame)
    const id = ++probeId
    socket.send(`42${id}` + JSON.stringify(['private_message', messageTo(bob, `probe ${id}`).data]))
    for (;;) {
      const m = await socket.nextPacket(5000)
      if (typeof m !== 'string') return false
      if (m.startsWith('3')) continue // pong to a fuzzed ping
      const packet = parsePacket(m)
      // A fuzzed CONNECT to another namespace is refused in that namespace.
      if (packet.nsp !== undefined) { if (packet.type !== '4') return false; continue }
      if (packet.type === '3' && packet.id === id) return packet.data[0]?.type === 'ack'
      // A fuzzed frame that got an ack must have been a valid message.
      const reply = packet.type === '3' ? packet.data[0] : { type: packet.data[0], data: packet.data[1] }
      if (reply.type === 'ack' && reply.data?.status !== 'ok') accepted.push(frame)
      if (reply.type === 'error' && reply.data?.code !== 'invalid_frame' && !['stale', 'replay', 'unknown_recipient'].includes(reply.data?.code)) return false
    }
  }

  const valid = () => messageTo(bob, 'fuzz').data as Record<string, unknown>
  const json = fc.jsonValue({ maxDepth: 3 })
  const prefix = fc.constantFrom('', '0', '2', '3', '4', '5', '6', '40', '42', '43', '44', '45', '46', '4/x,', '42/,', '452-', '4212', '432', '2probe')
  // Valid packets with one field removed, replaced or retyped.
  const mutatedMessage = fc.tuple(fc.constantFrom('recipientId', 'message', 'nonce', 'mac', 'ephemeralKey', 'timestamp', 'extra'), fc.oneof(json, fc.constant(undefined)), fc.option(fc.nat(), { nil: undefined }))
    .map(([field, value, id]) => {
      const data = { ...valid(), [field]: value }
      if (value === undefined) delete data[field]
      return `42${id ?? ''}` + JSON.stringify(['private_message', data])
    })
  const mutatedEvent = fc.tuple(fc.oneof(fc.constantFrom('private_message', 'presence_update', 'ack', 'error', 'connect', 'auth'), fc.string()), fc.array(json, { maxLength: 3 }), fc.option(fc.nat(), { nil: undefined }))
    .map(([name, args, id]) => `42${id ?? ''}` + JSON.stringify([name, ...args]))
  // A valid packet with characters cut, inserted or swapped.
  const byteMutation = fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.string({ maxLength: 5 }))
    .map(([at, cut, insert]) => {
      const text = '42' + JSON.stringify(['private_message', valid()])
      const i = at % text.length
      return text.slice(0, i) + insert + text.slice(i + cut)
    })
  const frames = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.tuple(prefix, fc.string()).map(([a, b]) => a + b),
    fc.tuple(prefix, json).map(([a, b]) => a + JSON.stringify(b)),
    mutatedMessage,
    mutatedEvent,
    byteMutation,
    fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes))
  ).filter((frame) => !endsSession(frame))

  await fc.assert(fc.asyncProperty(frames, async (frame) => survives(frame)), { numRuns: 400 })
  t.pass('every frame was followed by a delivered valid message')

  for (const frame of accepted) {
    const packet = decodeSocket((frame as string).slice(1))
    const data = !isCodecError(packet) && packet.type === 'event' ? packet.data[1] : undefined
    t.ok(validator.data('private_message', data).ok, `only valid messages were accepted: ${String(frame).slice(0, 80)}`)
  }
  t.equal(socket.ws.readyState, socket.ws.OPEN, 'the connection is still open')
  t.notOk(logs.some((line) => /"level":(50|60)/.test(line)), 'no error was logged')
})
