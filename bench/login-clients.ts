import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { login, type Account } from './accounts.js'

/**
 * The login storm's clients, on their own thread: their HTTP work then never delays the relay load
 * generator's event loop, whose timestamps are the latency being measured. The thread runs at
 * Linux's lowest priority, as the server's hashing threads do: in a deployment these clients are
 * on other machines, and on the bench's two CPUs at normal priority the relay's woken threads
 * often queued behind them (docs/BENCHMARK-LOG.md, "Since the 21:39 run").
 */
interface StormData { url: string, accounts: Array<Pick<Account, 'username' | 'password'>>, concurrency: number, warmupMs: number }
export interface StormCount { logins: number, errors: number, countedMs: number }

if (!isMainThread && parentPort !== null) {
  lowerOwnPriority()
  const { url, accounts, concurrency, warmupMs } = workerData as StormData
  const port = parentPort
  let stop = false
  let logins = 0
  let errors = 0
  let countFrom = Infinity
  const countTimer = setTimeout(() => { countFrom = performance.now() }, warmupMs)
  async function loop (k: number) {
    for (let i = k; !stop; i += concurrency) {
      const account = accounts[i % accounts.length]
      try {
        await login(url, account.username, account.password)
        if (performance.now() >= countFrom) logins++
      } catch {
        errors++
      }
    }
  }
  const loops = Array.from({ length: concurrency }, async (_, k) => await loop(k))
  port.postMessage('started')
  port.once('message', () => {
    stop = true
    clearTimeout(countTimer)
    const countedMs = countFrom === Infinity ? 0 : performance.now() - countFrom
    void Promise.all(loops).then(() => { port.postMessage({ logins, errors, countedMs } satisfies StormCount) })
  })
}

/** Niceness 19, then SCHED_IDLE through util-linux `chrt` where present, for the calling thread only. */
function lowerOwnPriority () {
  try {
    const tid = readlinkSync('/proc/thread-self').split('/').pop() ?? ''
    setPriority(Number(tid), 19)
    execFileSync('chrt', ['--idle', '--pid', '0', tid], { stdio: 'ignore', timeout: 5000 })
  } catch {}
}

/**
 * Starts `concurrency` clients signing in back to back, resolving once they have begun; logins are
 * counted after `warmupMs`.
 */
export async function startLoginStorm (data: StormData): Promise<{ stop: () => Promise<StormCount> }> {
  const worker = new Worker(new URL(import.meta.url), { workerData: data })
  await once(worker, 'message')
  return {
    stop: async () => {
      const counted = once(worker, 'message') as Promise<[StormCount]>
      worker.postMessage('stop')
      try { return (await counted)[0] } finally { await worker.terminate() }
    }
  }
}
