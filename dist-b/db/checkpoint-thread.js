import { createRequire } from 'node:module';
import { startBackgroundThread } from '../lib/background-thread.js';
// PASSIVE never waits for a lock and never blocks the writer; `data_version` changes only when
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
`;
/**
 * Copies the WAL into the database file from a thread with a connection of its own, every
 * `intervalMs` in which something was committed. Left to the writing connection, every 1,000
 * pages of writes stop the event loop for the copy and two fsyncs; in the offline-queue bench
 * that was a sixth of the store rate.
 */
export function startCheckpointThread(file, intervalMs) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const thread = startBackgroundThread(THREAD_SOURCE, { driver, file, intervalMs });
    // A thread that cannot open the database leaves checkpoints to the writer's own backstop.
    thread.worker.on('error', () => { });
    return { stop: thread.stop };
}
//# sourceMappingURL=checkpoint-thread.js.map