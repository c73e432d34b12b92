import t from 'tap'
import { createPasswordHasher } from '../../plugins/auth/argon2.js'
import { idleThreads, SCHED_IDLE, threads } from '../helper.js'

const CHEAP = { memoryKib: 64, timeCost: 1, parallelism: 1 }

t.test('hashes and verifies on at most maxConcurrent threads at idle priority', async (t) => {
  const before = idleThreads()
  const hasher = createPasswordHasher({ ...CHEAP, maxConcurrent: 2, priority: 'idle' })
  t.teardown(hasher.close)
  const passwords = Array.from({ length: 8 }, (_, i) => `correct horse ${i}`)
  const hashes = await Promise.all(passwords.map(hasher.hash))
  t.ok(hashes.every((h) => h.startsWith('$argon2id$v=19$m=64,t=1,p=1$')), 'Argon2id hashes at the configured cost')
  t.equal(new Set(hashes).size, 8, 'each with its own salt')
  t.same(await Promise.all(hashes.map(async (h, i) => await hasher.verify(h, passwords[i]))), passwords.map(() => true), 'each password verifies')
  t.equal(await hasher.verify(hashes[0], 'wrong'), false, 'a wrong password does not')
  t.equal(await hasher.verify('not-an-argon2-hash', 'x'), false, 'a malformed stored hash is no match, not an error')
  t.equal(await hasher.verifyDecoy('anything'), false, 'the decoy answers false')

  t.equal(idleThreads() - before, 2, 'eight hashes at once ran on two threads, both SCHED_IDLE')
  t.ok(threads().filter((thread) => thread.policy === SCHED_IDLE).every((thread) => thread.nice === 19), 'and at niceness 19')

  await hasher.close()
  t.equal(idleThreads(), before, 'close ends the threads')
  await t.rejects(hasher.hash('after close'), /closed/, 'a hash after close is refused')
})

t.test('priority normal leaves the threads as they are', async (t) => {
  const before = idleThreads()
  const hasher = createPasswordHasher({ ...CHEAP, maxConcurrent: 1, priority: 'normal' })
  t.teardown(hasher.close)
  const encoded = await hasher.hash('pw')
  t.equal(await hasher.verify(encoded, 'pw'), true)
  t.equal(idleThreads(), before, 'no thread at idle priority')
})

t.test('with one thread, hashes wait their turn in order', async (t) => {
  const hasher = createPasswordHasher({ ...CHEAP, maxConcurrent: 1, priority: 'normal' })
  t.teardown(hasher.close)
  const order: number[] = []
  await Promise.all([0, 1, 2, 3].map(async (i) => { await hasher.hash(`pw${i}`); order.push(i) }))
  t.same(order, [0, 1, 2, 3], 'one thread serves the waiters in the order they came')
})
