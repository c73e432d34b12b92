/**
 * Auto-mode receipts (receipts.ts, receipt-clock.ts): a receipt ping is sent only for messages
 * the app's callbacks have not confirmed, on one shared timer.
 */
import t from 'tap'
import { createReceipts } from '../../plugins/relay/socketio/receipts.js'
import { createReceiptClock } from '../../plugins/relay/socketio/receipt-clock.js'

/** Waits until `done()` holds (a stalled process may run timers late), or gives up after 5 s. */
async function until (done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
}

t.test('messages confirmed by their callback need no receipt ping; the others do, and the pong confirms only them', async (t) => {
  const receipts = createReceipts('auto')
  const one = receipts.push('m1')
  const two = receipts.push('m2')
  t.equal(receipts.push('m1'), one, 'the same message keeps its ack id')
  t.equal(receipts.acked(one), 'm1')
  t.equal(receipts.acked(two), 'm2')
  t.equal(receipts.unpinged(receipts.lastAckId), 'none', 'all confirmed: no ping')
  const three = receipts.push('m3')
  t.equal(receipts.lastAckId, three)
  t.equal(receipts.unpinged(three), 'overdue')
  receipts.pinged()
  t.equal(receipts.unpinged(three), 'none', 'covered by the ping sent')
  t.same(receipts.ponged(), ['m3'])
  t.equal(receipts.pending, 0)
})

t.test('only messages pushed by the mark call for a ping; those pushed after it wait for their own turn', async (t) => {
  const receipts = createReceipts('auto')
  const first = receipts.push('m1')
  const mark = receipts.lastAckId
  const second = receipts.push('m2')
  t.equal(receipts.unpinged(mark), 'overdue', 'the first one is still unconfirmed')
  receipts.acked(first)
  t.equal(receipts.unpinged(mark), 'recent', 'only a message pushed after the mark is left')
  t.equal(receipts.unpinged(receipts.lastAckId), 'overdue', 'its own turn')
  receipts.acked(second)
  t.equal(receipts.unpinged(receipts.lastAckId), 'none')
})

t.test('a message acked by id (the ack event) needs no receipt ping either', async (t) => {
  const receipts = createReceipts('auto')
  receipts.push('m1')
  receipts.ackedMessage('m1')
  t.equal(receipts.unpinged(receipts.lastAckId), 'none')
})

t.test('the receipt clock runs each queued function once, later, in order, on one timer', async (t) => {
  const clock = createReceiptClock(5)
  t.teardown(() => { clock.stop() })
  const fired: string[] = []
  const a = () => { fired.push('a') }
  const b = () => { fired.push('b') }
  clock.queue(a)
  clock.queue(b)
  t.same(fired, [], 'not at once')
  await until(() => fired.length >= 2)
  await new Promise((resolve) => setTimeout(resolve, 30))
  t.same(fired, ['a', 'b'], 'once each, in order')
  clock.queue(a)
  await until(() => fired.length >= 3)
  t.same(fired, ['a', 'b', 'a'], 'and again when queued again')
})

t.test('a stopped receipt clock runs nothing', async (t) => {
  const clock = createReceiptClock(5)
  let fired = 0
  clock.queue(() => { fired++ })
  clock.stop()
  await new Promise((resolve) => setTimeout(resolve, 30))
  t.equal(fired, 0)
})
