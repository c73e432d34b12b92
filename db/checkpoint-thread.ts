import { Worker } from 'node:worker_threads'
import { createRequire } from 'node:module'

// Plain JavaScript, evaluated without the parent's loaders (`execArgv: []`), so the thread starts
// in milliseconds, also under the test runner's TypeScript loader. PASSIVE never waits for a lock and never blocks the writer; `data_version` changes only when
// another connection commits, so an idle database costs no I/O.
const THREAD_SOURCE = `
const { workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file, { fileMustExist: true })
let seen
setInterval(() => {
  try {
    const version = db.pragma('data_version', { simple: true })
    if (version === seen) return
    seen = version
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch {}
}, workerData.intervalMs)
`

/**
 * Copies the WAL into the database file from a thread with a connection of its own, every
 * `intervalMs` in which something was committed. Left to the writing connection, every 1,000
 * pages of writes stop the event loop for the copy and two fsyncs; in the offline-queue bench
 * that was a sixth of the store rate.
 */
export function startCheckpointThread (file: string, intervalMs: number): { stop: () => Promise<void> } {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(THREAD_SOURCE, { eval: true, execArgv: [], workerData: { driver, file, intervalMs } })
  worker.unref()
  // A thread that cannot open the database leaves checkpoints to the writer's own backstop.
  worker.on('error', () => {})
  // Node 20 can lose the exit of a thread terminated while it is still starting, and the process
  // then finds nothing left to wait for: stopping waits until it is online (or already gone).
  const started = new Promise<void>((resolve) => {
    worker.once('online', resolve)
    worker.once('exit', () => resolve())
  })
  return {
    stop: async () => {
      worker.ref()
      await started
      await worker.terminate()
    }
  }
}
