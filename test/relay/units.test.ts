import t from 'tap'
import fc from 'fast-check'
import { createReplayGuard, replayKey } from '../../plugins/relay/replay-guard.js'
import { createTokenBuckets } from '../../plugins/relay/token-bucket.js'
import { createFrameValidator } from '../../plugins/relay/frame-validator.js'
import { BASE64_PATTERN } from '../../schemas/frames.js'
import { messageDataJson } from '../../plugins/relay/message-json.js'
import { SentLog } from '../../plugins/relay/sent-log.js'

const seen = (nonce: string, recipientId: string, mac: string, timestamp: number) => ({ key: replayKey('s', nonce), id: 'id', recipientId, mac, timestamp })

t.test('replay guard: window, retry versus replay, bounded memory that never forgets into acceptance', async (t) => {
  let clock = 1_000_000
  const guard = createReplayGuard({ windowMs: 1000, maxEntries: 3, now: () => clock })
  t.equal(guard.check(replayKey('s', 'n1'), clock - 1001, 'r', 'm').kind, 'stale', 'too old')
  t.equal(guard.check(replayKey('s', 'n1'), clock + 1001, 'r', 'm').kind, 'stale', 'too far ahead')
  t.equal(guard.check(replayKey('s', 'n1'), clock, 'r', 'm').kind, 'new')
  guard.remember(seen('n1', 'r', 'm', clock))
  t.equal(guard.check(replayKey('s', 'n1'), clock, 'r', 'm').kind, 'retry', 'same box: a retry')
  t.equal(guard.check(replayKey('s', 'n1'), clock, 'r', 'other').kind, 'replay', 'same nonce, other box')
  t.equal(guard.check(replayKey('s', 'n1'), clock, 'r2', 'm').kind, 'replay', 'same nonce, other recipient')
  t.equal(guard.check(replayKey('other sender', 'n1'), clock, 'r', 'm').kind, 'new', 'nonces are per sender')

  for (let i = 2; i <= 6; i++) guard.remember(seen(`n${i}`, 'r', 'm', clock + i))
  t.ok(guard.size <= 3, `bounded (${guard.size})`)
  t.equal(guard.check(replayKey('s', 'n1'), clock, 'r', 'm').kind, 'stale', 'a forgotten nonce is refused as stale, not accepted')
  t.equal(guard.check(replayKey('s', 'n7'), clock + 10, 'r', 'm').kind, 'new', 'newer messages still pass')

  clock += 5000
  guard.sweep()
  t.equal(guard.size, 0, 'expired entries go')
  guard.remember(seen('x', 'r', 'm', clock))
  guard.forget(replayKey('s', 'x'))
  t.equal(guard.check(replayKey('s', 'x'), clock, 'r', 'other').kind, 'new', 'forgotten after a refusal')
})

t.test('replay guard: a settled entry still tells a retry (with its id and status) from a replay', async (t) => {
  const clock = 1_000_000
  const guard = createReplayGuard({ windowMs: 1000, maxEntries: 100, now: () => clock })
  const entry = { key: replayKey('s', 'n1'), id: 'the-id', recipientId: 'r', mac: 'm', timestamp: clock - 5, status: 'queued' as const }
  guard.remember(entry)
  guard.settle(entry)
  const verdict = guard.check(replayKey('s', 'n1'), clock - 5, 'r', 'm')
  t.equal(verdict.kind, 'retry')
  if (verdict.kind === 'retry') t.match(verdict.seen, { id: 'the-id', status: 'queued', recipientId: 'r', mac: 'm', timestamp: clock - 5 })
  t.equal(guard.check(replayKey('s', 'n1'), clock - 5, 'r', 'other').kind, 'replay', 'other box')
  t.equal(guard.check(replayKey('s', 'n1'), clock - 4, 'r', 'm').kind, 'replay', 'other timestamp')
  t.equal(guard.check(replayKey('s', 'n1'), clock - 5, 'r2', 'm').kind, 'replay', 'other recipient')
  guard.forget(replayKey('s', 'n1'))
  t.equal(guard.check(replayKey('s', 'n1'), clock - 5, 'r', 'other').kind, 'new', 'forgotten')
  t.equal(guard.size, 0)
})

t.test('replay guard: a nonce forgotten and accepted again survives the eviction of its first generation', async (t) => {
  const clock = 1_000_000
  const guard = createReplayGuard({ windowMs: 1000, maxEntries: 2, now: () => clock })
  guard.remember(seen('n1', 'r', 'm', clock - 30))
  guard.forget(replayKey('s', 'n1'))
  guard.remember(seen('n2', 'r', 'm', clock - 20))
  guard.remember(seen('n1', 'r', 'm', clock - 10))
  guard.remember(seen('n3', 'r', 'm', clock))
  t.ok(guard.size <= 2, `bounded (${guard.size})`)
  t.equal(guard.check(replayKey('s', 'n1'), clock - 10, 'r', 'other').kind, 'replay', 'the second acceptance is still remembered')
  t.equal(guard.check(replayKey('s', 'n1'), clock - 10, 'r', 'm').kind, 'retry')
  t.equal(guard.check(replayKey('s', 'n2'), clock - 20, 'r', 'm').kind, 'stale', 'the evicted one is refused as stale')
})

t.test('replay guard: a dropped generation leaves the map a few keys per message, and only ever refuses', async (t) => {
  let clock = 1_000_000
  const guard = createReplayGuard({ windowMs: 60_000, maxEntries: 1600, now: () => clock })
  for (let i = 0; i < 1600; i++) guard.remember(seen(`n${i}`, 'r', 'm', clock - 1600 + i))
  guard.remember(seen('n1600', 'r', 'm', clock))
  t.equal(guard.size, 1501, 'the oldest generation (100 entries) is dropped')
  t.equal(guard.held, 1597, 'but only 4 of its keys left the map with this message')
  t.equal(guard.check(replayKey('s', 'n0'), clock - 1600, 'r', 'm').kind, 'stale', 'a dropped entry is refused as stale')
  t.equal(guard.check(replayKey('s', 'n5'), clock, 'r', 'm').kind, 'replay', 'its nonce with a new timestamp: refused while still held')
  guard.forget(replayKey('s', 'n6'))
  guard.remember(seen('n6', 'r', 'm2', clock))
  for (let i = 1601; i < 1626; i++) guard.remember(seen(`n${i}`, 'r', 'm', clock))
  t.equal(guard.held, guard.size, 'the dropped keys are gone within 25 messages')
  t.equal(guard.check(replayKey('s', 'n6'), clock, 'r', 'm2').kind, 'retry', 'a key forgotten while retiring and accepted again stays remembered')
  t.equal(guard.check(replayKey('s', 'n5'), clock, 'r', 'm').kind, 'new', 'once deleted, as before')
  clock += 120_000
  guard.sweep()
  t.equal(guard.size, 0, 'expired')
  t.equal(guard.held, 0, 'and deleted by the sweep (up to 2,048 keys each)')
})

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

t.test('base64 pattern: accepts exactly what ^[A-Za-z0-9+/]*={0,2}$ accepts', async (t) => {
  const fast = new RegExp(BASE64_PATTERN)
  const plain = /^[A-Za-z0-9+/]*={0,2}$/
  // Mostly alphabet and `=`, with the characters that must be refused mixed in.
  const char = fc.constantFrom('A', 'z', '0', '+', '/', '=', '=', '=', '-', '_', ' ', '\n', '"', '\\', 'é', '\u0000')
  fc.assert(fc.property(fc.array(char, { maxLength: 12 }), (chars) => fast.test(chars.join('')) === plain.test(chars.join(''))), { numRuns: 5000 })
  for (const text of ['', 'QUJD', 'QUI=', 'QQ==', Buffer.alloc(1024, 7).toString('base64')]) t.ok(fast.test(text), `accepts ${text.slice(0, 8)}`)
  for (const text of ['Q===', 'QU=I', '=QUI', 'QUI\n', 'QU I', 'QUJD\u0000']) t.notOk(fast.test(text), `refuses ${JSON.stringify(text)}`)
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
