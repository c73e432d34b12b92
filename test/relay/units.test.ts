import t from 'tap'
import fc from 'fast-check'
import { createTokenBuckets } from '../../plugins/relay/token-bucket.js'
import { createFrameValidator, wellPadded } from '../../plugins/relay/frame-validator.js'
import { BASE64_PATTERN } from '../../schemas/frames.js'
import { Base64Bytes } from '../../schemas/common.js'
import { messageAckJson, messageDataJson } from '../../plugins/relay/message-json.js'
import { SentLog } from '../../plugins/relay/sent-log.js'

t.test('sent log: the same answers as an insertion-ordered Map, acks in order or not, across its compaction', async (t) => {
  // Mostly in-order acks (the front), some out of order, some unknown or repeated ids; long
  // runs so the front passes the compaction threshold while entries are still waiting.
  const step = fc.oneof(
    { weight: 4, arbitrary: fc.constant({ kind: 'add' as const }) },
    { weight: 3, arbitrary: fc.constant({ kind: 'ackFirst' as const }) },
    { weight: 1, arbitrary: fc.nat({ max: 40 }).map((n) => ({ kind: 'ackNth' as const, n })) },
    { weight: 1, arbitrary: fc.nat({ max: 2000 }).map((n) => ({ kind: 'ackId' as const, n })) }
  )
  fc.assert(fc.property(fc.array(step, { minLength: 200, maxLength: 1500 }), (steps) => {
    const log = new SentLog()
    const model = new Map<string, number>()
    let seq = 0
    for (const s of steps) {
      if (s.kind === 'add') {
        seq++
        if (log.add(`id${seq}`, seq) !== model.set(`id${seq}`, seq).size) return false
        continue
      }
      const ids = [...model.keys()]
      const id = s.kind === 'ackFirst' ? ids[0] ?? 'none' : s.kind === 'ackNth' ? ids[s.n] ?? 'none' : `id${s.n}`
      if (log.remove(id) !== model.delete(id)) return false
      if (log.size !== model.size || log.firstSeq !== model.values().next().value) return false
    }
    return true
  }), { numRuns: 200 })
  t.pass('200 random runs of 200-1,500 steps')
  const log = new SentLog()
  for (let i = 1; i <= 600; i++) log.add(`id${i}`, i)
  for (let i = 1; i <= 400; i++) log.remove(`id${i}`)
  t.equal(log.size, 200, 'the front taken 400 times: 200 left')
  t.equal(log.firstSeq, 401, 'the oldest left first')
  t.notOk(log.remove('id400'), 'an id taken before is not there any more')
  t.ok(log.remove('id600') && log.remove('id401'), 'the last and the first')
  t.equal(log.firstSeq, 402)
})

t.test('token bucket: the burst, refill over (fake) time, per key, forgotten when full', async (t) => {
  let clock = 0
  const buckets = createTokenBuckets({ burst: 3, perSecond: 2, now: () => clock })
  t.same([1, 2, 3, 4].map(() => buckets.take('a')), [true, true, true, false])
  t.equal(buckets.take('b'), true, 'another key has its own bucket')
  clock += 499
  t.equal(buckets.take('a'), false, 'less than one token refilled')
  clock += 1
  t.equal(buckets.take('a'), true, 'one token after half a second')
  clock += 60_000
  t.same([1, 2, 3, 4].map(() => buckets.take('a')), [true, true, true, false], 'never more than the burst')
  clock += 60_000
  buckets.sweep()
  t.equal(buckets.take('a'), true)
})

t.test('frame validator: envelope and data problems name the field', async (t) => {
  const v = createFrameValidator(100)
  t.same(v.envelope({ type: 'ack', data: {}, x: 1 }), { ok: false, problem: { code: 'invalid_frame', field: 'x', message: 'x: Unexpected property' } })
  t.same(v.envelope({ type: 'auth', token: 't' }), { ok: true, value: { type: 'auth', ref: undefined, data: { token: 't' } } })
  const bad = v.data('private_message', { recipientId: crypto.randomUUID(), message: Buffer.alloc(101).toString('base64'), nonce: Buffer.alloc(24).toString('base64'), mac: Buffer.alloc(16).toString('base64'), ephemeralKey: Buffer.alloc(32).toString('base64'), timestamp: 1 })
  t.match(bad, { ok: false, problem: { field: 'message' } }, '101 bytes over a limit of 100')
  t.match(v.data('ack', { id: 'nope' }), { ok: false, problem: { field: 'id' } })
  t.match(v.data('hack' as 'ack', {}), { ok: false, problem: { field: 'type' } })
})

t.test('base64 pattern and padding check: accept exactly what ^[A-Za-z0-9+/]*={0,2}$ accepts', async (t) => {
  const pattern = new RegExp(BASE64_PATTERN)
  const fast = { test: (text: string) => pattern.test(text) && wellPadded(text) }
  const plain = /^[A-Za-z0-9+/]*={0,2}$/
  // Mostly alphabet and `=`, with the characters that must be refused mixed in.
  const char = fc.constantFrom('A', 'z', '0', '+', '/', '=', '=', '=', '-', '_', ' ', '\n', '"', '\\', 'é', '\u0000')
  fc.assert(fc.property(fc.array(char, { maxLength: 12 }), (chars) => fast.test(chars.join('')) === plain.test(chars.join(''))), { numRuns: 5000 })
  for (const text of ['', 'QUJD', 'QUI=', 'QQ==', Buffer.alloc(1024, 7).toString('base64')]) t.ok(fast.test(text), `accepts ${text.slice(0, 8)}`)
  for (const text of ['Q===', 'QU=I', '=QUI', 'QUI\n', 'QU I', 'QUJD\u0000']) t.notOk(fast.test(text), `refuses ${JSON.stringify(text)}`)
})

t.test('base64 of a fixed size: the schema pattern accepts exactly what the counted form accepts', async (t) => {
  const char = fc.constantFrom('A', 'z', '0', '+', '/', '=', '=', '=', '-', '_', ' ', '\n', 'é', '\u0000')
  for (const bytes of [1, 2, 3, 16, 24, 32, 64]) {
    const chars = Math.ceil(bytes / 3) * 4
    const padding = (3 - (bytes % 3)) % 3
    const fast = new RegExp(Base64Bytes(bytes, '').pattern as string)
    const plain = new RegExp(`^[A-Za-z0-9+/]{${chars - padding}}${'='.repeat(padding)}$`)
    // Around the right length, and valid texts with one character changed.
    const text = fc.oneof(
      fc.array(char, { minLength: chars - 2, maxLength: chars + 2 }).map((c) => c.join('')),
      fc.tuple(fc.uint8Array({ minLength: bytes, maxLength: bytes }), fc.nat(chars - 1), char)
        .map(([b, at, c]) => { const s = Buffer.from(b).toString('base64'); return s.slice(0, at) + c + s.slice(at + 1) })
    )
    fc.assert(fc.property(text, (s) => fast.test(s) === plain.test(s)), { numRuns: 3000 })
    t.ok(fast.test(Buffer.alloc(bytes, 255).toString('base64')), `accepts ${bytes} bytes`)
  }
})

t.test('message JSON: the same text as JSON.stringify for every pushed message', async (t) => {
  const base64 = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max }).map((bytes) => Buffer.from(bytes).toString('base64'))
  const data = fc.record({
    id: fc.uuid(),
    seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    senderId: fc.uuid(),
    message: base64(1, 2048),
    nonce: base64(24, 24),
    mac: base64(16, 16),
    ephemeralKey: base64(32, 32),
    timestamp: fc.integer({ min: 0, max: 8_640_000_000_000_000 })
  })
  fc.assert(fc.property(data, (d) => messageDataJson(d) === JSON.stringify(d)), { numRuns: 500 })
  t.pass('500 random messages')
})

t.test('message ack JSON: the same text as JSON.stringify, whatever the client put in its ref', async (t) => {
  const ref = fc.oneof(fc.string({ minLength: 1, maxLength: 64, unit: 'binary' }), fc.string({ minLength: 1, maxLength: 64 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }))
  const status = fc.constantFrom('delivered' as const, 'queued' as const)
  fc.assert(fc.property(ref, fc.uuid(), status, (r, id, s) => messageAckJson(r, id, s) === JSON.stringify({ type: 'ack', ref: r, data: { id, status: s } })), { numRuns: 1000 })
  t.equal(messageAckJson('say "hi"\n', '00000000-0000-4000-8000-000000000001', 'queued'), '{"type":"ack","ref":"say \\"hi\\"\\n","data":{"id":"00000000-0000-4000-8000-000000000001","status":"queued"}}')
})
