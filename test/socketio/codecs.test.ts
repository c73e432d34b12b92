import t from 'tap'
import fc from 'fast-check'
import { Decoder, Encoder, PacketType, isPacketValid } from 'socket.io-parser'
import { decodeEngine, encodeEngine, encodeOpen, isCodecError } from '../../plugins/relay/socketio/engine-codec.js'
import { decodeSocket, encodeSocket } from '../../plugins/relay/socketio/socket-codec.js'

t.test('Engine.IO codec decodes every packet type of protocol 4', async (t) => {
  t.same(decodeEngine('2', false), { type: 'ping' })
  t.same(decodeEngine('3', false), { type: 'pong' })
  t.same(decodeEngine('2probe', false), { type: 'ping', data: 'probe' })
  t.same(decodeEngine('1', false), { type: 'close' })
  t.same(decodeEngine('5', false), { type: 'upgrade' })
  t.same(decodeEngine('6', false), { type: 'noop' })
  t.same(decodeEngine('4hello', false), { type: 'message', data: 'hello' })
  t.same(decodeEngine('4', false), { type: 'message', data: '' })
})

t.test('Engine.IO codec turns garbage and binary into values, never throws', async (t) => {
  t.ok(isCodecError(decodeEngine('abc', false)))
  t.ok(isCodecError(decodeEngine('', false)))
  t.ok(isCodecError(decodeEngine('9', false)))
  t.same(decodeEngine(Buffer.from([1, 2, 3, 4]), true), { type: 'binary', size: 4 })
  t.same(decodeEngine('bAQIDBA==', false), { type: 'binary', size: 9 })
})

t.test('Engine.IO codec encodes the open packet with no upgrades', async (t) => {
  const open = encodeOpen({ sid: 'abc', pingInterval: 300, pingTimeout: 200, maxPayload: 1000000 })
  t.ok(open.startsWith('0'))
  t.same(JSON.parse(open.slice(1)), { sid: 'abc', upgrades: [], pingInterval: 300, pingTimeout: 200, maxPayload: 1000000 })
  t.equal(encodeEngine('ping'), '2')
  t.equal(encodeEngine('pong', 'probe'), '3probe')
  t.equal(encodeEngine('message', '40'), '440')
})

t.test('Socket.IO codec decodes CONNECT, DISCONNECT, EVENT and ACK', async (t) => {
  t.same(decodeSocket('0'), { type: 'connect', nsp: '/' })
  t.same(decodeSocket('0{"token":"123"}'), { type: 'connect', nsp: '/', data: { token: '123' } })
  t.same(decodeSocket('0/custom,{"token":"abc"}'), { type: 'connect', nsp: '/custom', data: { token: 'abc' } })
  t.same(decodeSocket('0/random'), { type: 'connect', nsp: '/random' })
  t.same(decodeSocket('1'), { type: 'disconnect', nsp: '/' })
  t.same(decodeSocket('2["message",1,"2",{"3":[true]}]'), { type: 'event', nsp: '/', data: ['message', 1, '2', { 3: [true] }] })
  t.same(decodeSocket('2456["message-with-ack",1]'), { type: 'event', nsp: '/', id: 456, data: ['message-with-ack', 1] })
  t.same(decodeSocket('3456[1,"2"]'), { type: 'ack', nsp: '/', id: 456, data: [1, '2'] })
})

t.test('Socket.IO codec refuses the invalid formats of the official suite', async (t) => {
  // "unknown packet type", "invalid payload format", "invalid ack id"
  for (const text of ['abc', '2{}', '2abc["message-with-ack",1,"2",{"3":[false]}]']) {
    t.ok(isCodecError(decodeSocket(text)), text)
  }
  for (const text of ['', '2[]', '2["connect"]', '2["disconnect"]', '1{}', '3', '0"x"', '2999999999999999999999["a"]', '7', '2["a"', '0[1]', '2', '25', '35', '3/x,']) {
    t.ok(isCodecError(decodeSocket(text)), JSON.stringify(text))
  }
})

t.test('Socket.IO codec reports binary attachment headers with their ack id, and refuses bad ones', async (t) => {
  t.same(decodeSocket('52-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]'), { type: 'binary', nsp: '/', attachments: 2 })
  t.same(decodeSocket('52-789["message-with-ack",{"_placeholder":true,"num":0}]'), { type: 'binary', nsp: '/', id: 789, attachments: 2 })
  t.same(decodeSocket('61-5[{"_placeholder":true,"num":0}]'), { type: 'binary', nsp: '/', id: 5, attachments: 1 })
  for (const text of ['5', '5-[]', '5a-["m"]', '50-["m"]', '511-["m"]', '5x', '52-{}']) {
    t.ok(isCodecError(decodeSocket(text)), text)
  }
})

t.test('Socket.IO codec encodes what socket.io-parser decodes back', async (t) => {
  t.equal(encodeSocket({ type: 'connect', nsp: '/', data: { sid: 'abc' } }), '0{"sid":"abc"}')
  t.equal(encodeSocket({ type: 'connect_error', nsp: '/random', data: { message: 'Invalid namespace' } }), '4/random,{"message":"Invalid namespace"}')
  t.equal(encodeSocket({ type: 'event', nsp: '/', data: ['user_presence', { userId: 'u' }] }), '2["user_presence",{"userId":"u"}]')
  t.equal(encodeSocket({ type: 'event', nsp: '/', id: 7, data: ['private_message', {}] }), '27["private_message",{}]')
  t.equal(encodeSocket({ type: 'event', nsp: '/', id: 7, json: '["private_message",{"seq":1}]' }), '27["private_message",{"seq":1}]', 'arguments written by the caller')
  t.equal(encodeSocket({ type: 'ack', nsp: '/', id: 456, data: [1, '2', { 3: [false] }] }), '3456[1,"2",{"3":[false]}]')
  t.equal(encodeSocket({ type: 'disconnect', nsp: '/' }), '1')
})

// Packets made by the official encoder, as a client sends them.
const officialEvent = fc.record({
  id: fc.option(fc.nat(), { nil: undefined }),
  name: fc.string({ minLength: 1 }).filter((s) => !['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'].includes(s)),
  args: fc.array(fc.jsonValue(), { maxLength: 4 })
})

t.test('property: every EVENT the official encoder makes decodes to the same event', async (t) => {
  const encoder = new Encoder()
  fc.assert(fc.property(officialEvent, ({ id, name, args }) => {
    const [text] = encoder.encode({ type: PacketType.EVENT, nsp: '/', id, data: [name, ...args] })
    const decoded = decodeSocket(text as string)
    if (isCodecError(decoded) || decoded.type !== 'event') return false
    // JSON turns -0 into 0: compare through JSON, as the wire does.
    return decoded.id === id && JSON.stringify(decoded.data) === JSON.stringify([name, ...args])
  }))
  t.pass('round trips')
})

t.test('property: no string or buffer makes either codec throw, and results are a closed set', async (t) => {
  const engineTypes = new Set(['open', 'close', 'ping', 'pong', 'upgrade', 'noop', 'message', 'binary'])
  const socketTypes = new Set(['connect', 'disconnect', 'event', 'ack', 'connect_error', 'binary'])
  const prefixed = fc.tuple(fc.constantFrom('', '0', '1', '2', '3', '4', '40', '41', '42', '43', '44', '45', '46', '4/x,', '42/', '452-'), fc.string()).map(([a, b]) => a + b)
  fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), prefixed), (text) => {
    const engine = decodeEngine(text, false)
    if (!isCodecError(engine) && !engineTypes.has(engine.type)) return false
    const socket = decodeSocket(text)
    if (!isCodecError(socket) && !socketTypes.has(socket.type)) return false
    if (!isCodecError(socket) && 'id' in socket && socket.id !== undefined && !Number.isSafeInteger(socket.id)) return false
    if (!isCodecError(socket) && socket.type === 'event' && (!Array.isArray(socket.data) || socket.data.length === 0)) return false
    return true
  }), { numRuns: 2000 })
  fc.assert(fc.property(fc.uint8Array(), (bytes) => { const p = decodeEngine(Buffer.from(bytes), true); return !isCodecError(p) && p.type === 'binary' }))
  t.pass('no throw')
})

/**
 * What the official decoder and `isPacketValid` make of a text, with the shim's own two checks
 * (an ack id is a safe integer, an ACK has one): the packet, or null when refused.
 */
function official (text: string): { type: number, nsp: string, id?: number, data?: unknown } | null {
  const decoder = new Decoder()
  let packet: any = null
  decoder.on('decoded', (p: any) => { packet = p })
  try { decoder.add(text) } catch { return null } finally { decoder.destroy() }
  if (packet === null || !isPacketValid(packet) || (packet.id !== undefined && (!Number.isSafeInteger(packet.id) || packet.id < 0))) return null
  if (packet.type === PacketType.ACK && packet.id === undefined) return null
  return packet
}

t.test('property: EVENT and ACK packets decode exactly as the official decoder reads them (the fast path changes nothing)', async (t) => {
  const head = fc.tuple(fc.constantFrom('2', '3'), fc.oneof(fc.constant(''), fc.nat().map(String), fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String), fc.constantFrom('007', ' 1', '1 ', '-1', '1.5', '/x,', '/,')))
  const body = fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.array(fc.jsonValue(), { maxLength: 3 }).map((v) => JSON.stringify(v)), fc.string(), fc.constantFrom('["connect"]', '["disconnect",1]', '[1,2]', '[]', '[', '["a"] ', ' ["a"]', '["a"]x'))
  fc.assert(fc.property(head, body, ([type, id], rest) => {
    const text = type + id + rest
    const ours = decodeSocket(text)
    const theirs = official(text)
    if (theirs === null) return isCodecError(ours)
    if (isCodecError(ours) || ours.type !== (theirs.type === PacketType.EVENT ? 'event' : 'ack') || ours.nsp !== theirs.nsp) return false
    return (ours as { id?: number }).id === theirs.id && JSON.stringify((ours as { data: unknown }).data) === JSON.stringify(theirs.data)
  }), { numRuns: 3000 })
  t.pass('same packets')
})

t.test('property: encodeSocket writes exactly what the official encoder writes', async (t) => {
  const encoder = new Encoder()
  const packet = fc.oneof(
    fc.record({ type: fc.constant('event' as const), nsp: fc.constantFrom('/', '/x'), id: fc.option(fc.nat(), { nil: undefined }), data: fc.tuple(fc.string(), fc.jsonValue()).map((a): unknown[] => a) }),
    fc.record({ type: fc.constant('ack' as const), nsp: fc.constantFrom('/', '/x'), id: fc.nat(), data: fc.array(fc.jsonValue(), { maxLength: 3 }) }),
    fc.record({ type: fc.constant('connect_error' as const), nsp: fc.constantFrom('/', '/random'), data: fc.record({ message: fc.string() }) }),
    fc.record({ type: fc.constant('connect' as const), nsp: fc.constant('/'), data: fc.record({ sid: fc.string() }) }),
    fc.record({ type: fc.constant('disconnect' as const), nsp: fc.constantFrom('/', '/x') })
  )
  const codes = { connect: PacketType.CONNECT, disconnect: PacketType.DISCONNECT, event: PacketType.EVENT, ack: PacketType.ACK, connect_error: PacketType.CONNECT_ERROR }
  fc.assert(fc.property(packet, (p) => {
    const [text] = encoder.encode({ ...p, type: codes[p.type] } as any)
    return encodeSocket(p) === text
  }), { numRuns: 2000 })
  t.pass('same text')
})
