import type { Worker } from 'node:worker_threads'
import { createRequire } from 'node:module'
import { startBackgroundThread, type BackgroundThread } from '../../lib/background-thread.js'

// The thread loads nothing but @node-rs/argon2. In the background, it gives itself
// the lowest priority Linux has for its own thread id: niceness 19, then SCHED_IDLE through
// util-linux `chrt` where present. The kernel then runs the relay's event loop the moment it wakes,
// and hashing takes only the time nothing else wants.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
if (workerData.background) {
  try {
    const tid = require('node:fs').readlinkSync('/proc/thread-self').split('/').pop()
    require('node:os').setPriority(Number(tid), 19)
    require('node:child_process').execFileSync('chrt', ['--idle', '--pid', '0', tid], { stdio: 'ignore', timeout: 5000 })
  } catch {}
}
const argon2 = require(workerData.argon2)
const operations = {
  hash: (password, options) => argon2.hashSync(password, options),
  // A malformed stored hash is no match, not a failure.
  verify: (encoded, password) => { try { return argon2.verifySync(encoded, password) } catch { return false } }
}
parentPort.on('message', ({ op, args }) => {
  try { parentPort.postMessage({ value: operations[op](...args) }) } catch (err) { parentPort.postMessage({ error: String(err?.message ?? err) }) }
})
`

type Operation = 'hash' | 'verify'

/** One low-priority thread running one synchronous @node-rs/argon2 call at a time. */
class HashThread {
  private readonly thread: BackgroundThread
  private pending: { resolve: (value: unknown) => void, reject: (err: Error) => void } | null = null
  dead = false

  constructor (argon2Path: string, background: boolean) {
    this.thread = startBackgroundThread(THREAD_SOURCE, { argon2: argon2Path, background })
    this.worker.on('message', (reply: { value?: unknown, error?: string }) => {
      const pending = this.settle()
      if (reply.error !== undefined) pending?.reject(new Error(reply.error))
      else pending?.resolve(reply.value)
    })
    const fail = (err: Error) => { this.dead = true; this.settle()?.reject(err) }
    this.worker.on('error', fail)
    this.worker.on('exit', (code) => fail(new Error(`hashing thread exited with code ${code}`)))
  }

  private get worker (): Worker {
    return this.thread.worker
  }

  async run (op: Operation, args: unknown[]): Promise<unknown> {
    // Referenced only while busy, so an idle thread never keeps the process alive.
    this.worker.ref()
    return await new Promise((resolve, reject) => {
      this.pending = { resolve, reject }
      this.worker.postMessage({ op, args })
    })
  }

  private settle () {
    const pending = this.pending
    this.pending = null
    this.worker.unref()
    return pending
  }

  async close (): Promise<void> {
    this.dead = true
    await this.thread.stop()
  }
}

/**
 * A pool of at most `size` hashing threads, started on first use, in the background unless
 * `priority` is 'normal'. Callers wait in order for a free thread, so at most `size` hashes run at
 * once and the relay always keeps a core.
 *
 * After each hash its thread rests before the next caller gets it, long enough that it hashes
 * only `dutyCycle` of its time. Idle priority keeps hashing off the relay's core but not out of
 * its way: in the bench a storm slowed the relay in proportion to the sign-ins it let through,
 * through their requests on the event loop and the relay's own work running slower beside the
 * hashing (docs/BENCHMARK-LOG.md, "Since the 01:49 run").
 */
export function createHashThreads (size: number, priority: 'idle' | 'normal', dutyCycle: number) {
  const argon2Path = createRequire(import.meta.url).resolve('@node-rs/argon2')
  const all = new Set<HashThread>()
  const idle: HashThread[] = []
  const waiting: Array<{ resolve: (thread: HashThread) => void, reject: (err: Error) => void }> = []
  const resting = new Set<NodeJS.Timeout>()
  let closed = false

  function start (): HashThread {
    const thread = new HashThread(argon2Path, priority === 'idle')
    all.add(thread)
    return thread
  }

  function acquire (): Promise<HashThread> | HashThread {
    if (closed) throw new Error('the hashing threads are closed')
    const thread = idle.pop()
    if (thread !== undefined) return thread
    if (all.size < size) return start()
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }))
  }

  function release (thread: HashThread): void {
    if (thread.dead) {
      all.delete(thread)
      // A replacement is started for the next waiter, if any.
      const next = waiting.shift()
      if (next !== undefined) next.resolve(start())
      return
    }
    const next = waiting.shift()
    if (next !== undefined) next.resolve(thread)
    else idle.push(thread)
  }

  function restThenRelease (thread: HashThread, busyMs: number): void {
    if (dutyCycle >= 1 || thread.dead) {
      release(thread)
      return
    }
    const timer = setTimeout(() => {
      resting.delete(timer)
      release(thread)
    }, busyMs * (1 / dutyCycle - 1))
    resting.add(timer)
  }

  return {
    async run (op: Operation, args: unknown[]): Promise<unknown> {
      const thread = await acquire()
      const started = performance.now()
      try {
        return await thread.run(op, args)
      } finally {
        restThenRelease(thread, performance.now() - started)
      }
    },
    async close (): Promise<void> {
      closed = true
      for (const timer of resting) clearTimeout(timer)
      resting.clear()
      idle.length = 0
      for (const waiter of waiting.splice(0)) waiter.reject(new Error('the hashing threads are closed'))
      await Promise.all([...all].map(async (thread) => await thread.close()))
    }
  }
}
