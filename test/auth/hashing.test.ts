import t from 'tap'
import { argon2idOptions, createPasswordHasher } from '../../plugins/auth/argon2.js'
import { createHashThreads } from '../../plugins/auth/hash-threads.js'
import { idleThreads, SCHED_IDLE, threads } from '../helper.js'

const CHEAP = { memoryKib: 64, timeCost: 1, parallelism: 1, dutyCycle: 1 }
const CHEAP_OPTIONS = argon2idOptions(CHEAP)

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

t.test('a thread rests after each hash so that it hashes only its duty cycle of the time', async (t) => {
  const pool = createHashThreads(1, 'normal', 0.25)
  t.teardown(pool.close)
  const started = performance.now()
  const ended: number[] = []
  await Promise.all(['a', 'b'].map(async (pw) => { await pool.run('hash', [pw, CHEAP_OPTIONS]); ended.push(performance.now()) }))
  const first = ended[0] - started
  // At a quarter duty the thread rests three times its first hash (the thread's start counts as
  // hashing) before it takes the second, so the second ends at least that much later.
  t.ok(ended[1] - ended[0] >= 2 * first, `the second hash ended ${(ended[1] - ended[0]).toFixed(1)} ms after the first, which took ${first.toFixed(1)} ms`)
})

t.test('closing a resting pool refuses its waiters and leaves no timer behind', async (t) => {
  const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length
  const before = timers()
  const pool = createHashThreads(1, 'normal', 0.01)
  const first = pool.run('hash', ['a', CHEAP_OPTIONS])
  const second = pool.run('hash', ['b', CHEAP_OPTIONS])
  t.match(await first, /^\$argon2id\$/, 'the first hash is answered')
  const refused = t.rejects(second, /closed/, 'the caller waiting out the rest is refused')
  t.equal(timers(), before + 1, 'the thread is resting')
  await pool.close()
  await refused
  t.equal(timers(), before, 'and its rest ended with the pool')
})
