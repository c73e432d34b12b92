import t from 'tap'
import fc from 'fast-check'
import { createReplayGuard, seenMessage, type SeenMessage } from '../../plugins/relay/replay-guard.js'

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const SENDER = uuid(1)
const R1 = uuid(2)
const R2 = uuid(3)
const MAC = 'bWFjLW9mLXRoZS1ib3gtMQ=='
const OTHER_MAC = 'bWFjLW9mLXRoZS1ib3gtMg=='
const nonce = (n: number) => `bm9uY2Ut${String(n).padStart(24, '0')}`

type Guard = ReturnType<typeof createReplayGuard>

/** A message checked and, when new, remembered: what the relay core does. */
function accept (guard: Guard, nonceText: string, recipientId: string, mac: string, timestamp: number, senderId = SENDER) {
  const seen = seenMessage(recipientId, mac, timestamp)
  const verdict = guard.check(seen, senderId, nonceText)
  if (verdict.kind === 'new') guard.remember(seen)
  return { seen, verdict }
}

const kind = (guard: Guard, nonceText: string, recipientId: string, mac: string, timestamp: number, senderId = SENDER) =>
  guard.check(seenMessage(recipientId, mac, timestamp), senderId, nonceText).kind

function settle (guard: Guard, seen: SeenMessage, id: string, status: 'delivered' | 'queued') {
  seen.id = id
  seen.status = status
  guard.settle(seen)
}

t.test('replay guard: window, retry versus replay, bounded memory that never forgets into acceptance', async (t) => {
  let clock = 1_000_000
  const guard = createReplayGuard({ windowMs: 1000, maxEntries: 3, now: () => clock })
  t.equal(kind(guard, nonce(1), R1, MAC, clock - 1001), 'stale', 'too old')
  t.equal(kind(guard, nonce(1), R1, MAC, clock + 1001), 'stale', 'too far ahead')
  const first = accept(guard, nonce(1), R1, MAC, clock)
  t.equal(first.verdict.kind, 'new')
  const retry = guard.check(seenMessage(R1, MAC, clock), SENDER, nonce(1))
  t.equal(retry.kind, 'retry', 'same box: a retry')
  if (retry.kind === 'retry') t.equal(retry.seen, first.seen, 'answered from the message being routed')
  t.equal(kind(guard, nonce(1), R1, OTHER_MAC, clock), 'replay', 'same nonce, other box')
  t.equal(kind(guard, nonce(1), R2, MAC, clock), 'replay', 'same nonce, other recipient')
  t.equal(kind(guard, nonce(1), R1, MAC, clock, uuid(9)), 'new', 'nonces are per sender')
  t.equal(kind(guard, uuid(1).slice(1) + nonce(1), R1, MAC, clock, SENDER.slice(0, 1)), 'new', 'the key is the pair, not its concatenation')

  for (let i = 2; i <= 6; i++) accept(guard, nonce(i), R1, MAC, clock + i)
  t.equal(guard.size, 3, 'bounded')
  t.equal(kind(guard, nonce(1), R1, MAC, clock), 'stale', 'a forgotten nonce is refused as stale, not accepted')
  t.equal(kind(guard, nonce(7), R1, MAC, clock + 10), 'new', 'newer messages still pass')

  clock += 5000
  guard.sweep()
  t.equal(guard.size, 0, 'expired entries go')
  const refused = accept(guard, nonce(8), R1, MAC, clock)
  guard.forget(refused.seen)
  t.equal(kind(guard, nonce(8), R1, OTHER_MAC, clock), 'new', 'forgotten after a refusal')
  t.equal(guard.size, 0)
})

t.test('replay guard: a settled entry still tells a retry (with its id and status) from a replay', async (t) => {
  const clock = 1_000_000
  const guard = createReplayGuard({ windowMs: 1000, maxEntries: 100, now: () => clock })
  const { seen } = accept(guard, nonce(1), R1, MAC, clock - 5)
  settle(guard, seen, uuid(42), 'queued')
  const verdict = guard.check(seenMessage(R1, MAC, clock - 5), SENDER, nonce(1))
  t.equal(verdict.kind, 'retry')
  if (verdict.kind === 'retry') t.match(verdict.seen, { id: uuid(42), status: 'queued', recipientId: R1, mac: MAC, timestamp: clock - 5 })
  t.equal(kind(guard, nonce(1), R1, OTHER_MAC, clock - 5), 'replay', 'other box')
  t.equal(kind(guard, nonce(1), R1, MAC, clock - 4), 'replay', 'other timestamp')
  t.equal(kind(guard, nonce(1), R2, MAC, clock - 5), 'replay', 'other recipient')
  guard.forget(seen)
  t.equal(kind(guard, nonce(1), R1, OTHER_MAC, clock - 5), 'replay', 'forget is for messages still being routed: a settled one stays')
  t.equal(guard.size, 1)
})

t.test('replay guard: an entry dropped while routed is not brought back by its late ack', async (t) => {
  const clock = 1_000_000
  const guard = createReplayGuard({ windowMs: 1000, maxEntries: 2, now: () => clock })
  const slow = accept(guard, nonce(1), R1, MAC, clock - 30).seen
  accept(guard, nonce(2), R1, MAC, clock - 20)
  const third = accept(guard, nonce(3), R1, MAC, clock - 10).seen
  t.equal(third.slot, slow.slot, 'the oldest slot was reused')
  settle(guard, slow, uuid(7), 'delivered')
  t.equal(kind(guard, nonce(3), R1, MAC, clock - 10), 'retry', 'the slot still holds the newer message, still routed')
  t.equal(kind(guard, nonce(1), R1, MAC, clock - 30), 'stale', 'the dropped one is refused as stale')
  t.equal(guard.size, 2)
})

t.test('replay guard: a nonce forgotten and accepted again stays remembered', async (t) => {
  const clock = 1_000_000
  const guard = createReplayGuard({ windowMs: 1000, maxEntries: 2, now: () => clock })
  guard.forget(accept(guard, nonce(1), R1, MAC, clock - 30).seen)
  accept(guard, nonce(2), R1, MAC, clock - 20)
  accept(guard, nonce(1), R1, MAC, clock - 10)
  accept(guard, nonce(3), R1, MAC, clock)
  t.equal(guard.size, 2, 'bounded')
  t.equal(kind(guard, nonce(1), R1, OTHER_MAC, clock - 10), 'replay', 'the second acceptance is still remembered')
  t.equal(kind(guard, nonce(1), R1, MAC, clock - 10), 'retry')
  t.equal(kind(guard, nonce(2), R1, MAC, clock - 20), 'stale', 'the evicted one is refused as stale')
})

t.test('replay guard: expired entries leave a few per message and in batches per sweep', async (t) => {
  let clock = 1_000_000
  const guard = createReplayGuard({ windowMs: 60_000, maxEntries: 5000, now: () => clock })
  for (let i = 0; i < 3000; i++) accept(guard, nonce(i), R1, MAC, clock)
  clock += 61_000
  accept(guard, nonce(3000), R1, MAC, clock)
  t.equal(guard.size, 2997, 'four expired entries left with the new one')
  t.equal(kind(guard, nonce(10), R1, MAC, clock), 'replay', 'an expired entry still held only refuses: its nonce with a new timestamp')
  t.equal(kind(guard, nonce(10), R1, MAC, clock - 61_000), 'stale', 'its own timestamp is outside the window')
  guard.sweep()
  t.equal(guard.size, 949, '2,048 more with the sweep')
  guard.sweep()
  t.equal(guard.size, 1, 'the rest, up to the unexpired one')
  t.equal(kind(guard, nonce(10), R1, MAC, clock), 'new', 'once dropped, its nonce is new again')
})

/** The guard's rules, written the plain way: a list in order of arrival. */
class Model {
  ring: Array<{ key: string, live: boolean, seen: SeenMessage, settled: boolean }> = []
  forgottenUpTo = -Infinity
  constructor (readonly capacity: number, readonly windowMs: number) {}

  get size () { return this.ring.filter((e) => e.live).length }

  check (key: string, seen: SeenMessage, at: number): { kind: string, seen?: SeenMessage } {
    if (Math.abs(at - seen.timestamp) > this.windowMs || seen.timestamp <= this.forgottenUpTo) return { kind: 'stale' }
    const entry = this.ring.find((e) => e.live && e.key === key)
    if (entry === undefined) return { kind: 'new' }
    const same = entry.seen.recipientId === seen.recipientId && entry.seen.mac === seen.mac && entry.seen.timestamp === seen.timestamp
    return same ? { kind: 'retry', seen: entry.seen } : { kind: 'replay' }
  }

  dropExpired (at: number, budget: number) {
    while (this.ring.length > 0 && budget-- > 0) {
      const oldest = this.ring[0]
      if (oldest.live && oldest.seen.timestamp + this.windowMs >= at) return
      this.ring.shift()
    }
  }

  remember (key: string, seen: SeenMessage, at: number) {
    this.dropExpired(at, 4)
    if (this.ring.length === this.capacity) {
      const oldest = this.ring.shift()!
      if (oldest.live && oldest.seen.timestamp + this.windowMs >= at) this.forgottenUpTo = Math.max(this.forgottenUpTo, oldest.seen.timestamp)
    }
    this.ring.push({ key, live: true, seen, settled: false })
  }

  forget (seen: SeenMessage) {
    const entry = this.ring.find((e) => e.live && e.seen === seen && !e.settled)
    if (entry !== undefined) entry.live = false
  }

  settle (seen: SeenMessage) {
    const entry = this.ring.find((e) => e.live && e.seen === seen && !e.settled)
    if (entry !== undefined) entry.settled = true
  }
}

t.test('replay guard: the same verdicts as a plain list of entries, through eviction, expiry, forgetting and settling', async (t) => {
  const step = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('send' as const), sender: fc.nat(1), nonce: fc.nat(5), recipient: fc.nat(1), mac: fc.nat(1), age: fc.integer({ min: -200, max: 1300 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(20), delivered: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('forget' as const), pick: fc.nat(20) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.nat(700) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'sweep' as const }) }
  )
  fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.array(step, { maxLength: 300 }), (capacity, steps) => {
    let clock = 1_000_000
    const guard = createReplayGuard({ windowMs: 1000, maxEntries: capacity, now: () => clock })
    const model = new Model(capacity, 1000)
    const routed: SeenMessage[] = []
    let ids = 0
    for (const s of steps) {
      if (s.kind === 'send') {
        const senderId = uuid(100 + s.sender)
        const seen = seenMessage(uuid(200 + s.recipient), s.mac === 0 ? MAC : OTHER_MAC, clock - s.age)
        const expected = model.check(`${senderId} ${nonce(s.nonce)}`, seen, clock)
        const verdict = guard.check(seen, senderId, nonce(s.nonce))
        if (verdict.kind !== expected.kind) return false
        if (verdict.kind === 'retry') {
          const want = expected.seen!
          if (verdict.seen.id !== want.id || verdict.seen.status !== want.status) return false
          if (want.status === undefined && verdict.seen !== want) return false
        }
        if (verdict.kind === 'new') {
          guard.remember(seen)
          model.remember(`${senderId} ${nonce(s.nonce)}`, seen, clock)
          routed.push(seen)
        }
      } else if (s.kind === 'settle' || s.kind === 'forget') {
        const seen = routed[s.pick % Math.max(1, routed.length)]
        if (seen === undefined) continue
        routed.splice(routed.indexOf(seen), 1)
        if (s.kind === 'forget') {
          guard.forget(seen)
          model.forget(seen)
        } else {
          seen.id = uuid(1000 + ++ids)
          seen.status = s.delivered ? 'delivered' : 'queued'
          guard.settle(seen)
          model.settle(seen)
        }
      } else if (s.kind === 'tick') {
        clock += s.ms
      } else {
        guard.sweep()
        model.dropExpired(clock, 2048)
      }
      if (guard.size !== model.size) return false
    }
    return true
  }), { numRuns: 300 })
  t.pass('300 random runs of up to 300 steps, memories of 1 to 8 entries')
})

t.test('replay guard: the table stays consistent through heavy churn (removal shifts clusters back)', async (t) => {
  let clock = 1_000_000
  const guard = createReplayGuard({ windowMs: 1_000_000, maxEntries: 1000, now: () => clock })
  for (let i = 0; i < 20_000; i++) {
    const { seen } = accept(guard, nonce(i), R1, MAC, clock)
    if (i % 3 === 0) guard.forget(seen)
    clock++
  }
  let held = 0
  for (let i = 19_000; i < 20_000; i++) {
    const verdict = kind(guard, nonce(i), R1, MAC, 1_000_000 + i)
    if (i % 3 === 0) t.equal(verdict, 'new', `forgotten ${i}`)
    else if (verdict === 'retry') held++
  }
  t.equal(held, guard.size, 'every entry still held is found')
  t.ok(held >= 600, `most of the last 1,000 are held (${held})`)
})
