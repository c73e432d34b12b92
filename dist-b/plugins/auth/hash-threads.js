import { createRequire } from 'node:module';
import { startBackgroundThread } from '../../lib/background-thread.js';
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
`;
/** One low-priority thread running one synchronous @node-rs/argon2 call at a time. */
class HashThread {
    thread;
    pending = null;
    dead = false;
    constructor(argon2Path, background) {
        this.thread = startBackgroundThread(THREAD_SOURCE, { argon2: argon2Path, background });
        this.worker.on('message', (reply) => {
            const pending = this.settle();
            if (reply.error !== undefined)
                pending?.reject(new Error(reply.error));
            else
                pending?.resolve(reply.value);
        });
        const fail = (err) => { this.dead = true; this.settle()?.reject(err); };
        this.worker.on('error', fail);
        this.worker.on('exit', (code) => fail(new Error(`hashing thread exited with code ${code}`)));
    }
    get worker() {
        return this.thread.worker;
    }
    async run(op, args) {
        // Referenced only while busy, so an idle thread never keeps the process alive.
        this.worker.ref();
        return await new Promise((resolve, reject) => {
            this.pending = { resolve, reject };
            this.worker.postMessage({ op, args });
        });
    }
    settle() {
        const pending = this.pending;
        this.pending = null;
        this.worker.unref();
        return pending;
    }
    async close() {
        this.dead = true;
        await this.thread.stop();
    }
}
/**
 * A pool of at most `size` hashing threads, started on first use, in the background unless
 * `priority` is 'normal'. Callers wait in order for a free thread, so at most `size` hashes run at
 * once and the relay always keeps a core.
 */
export function createHashThreads(size, priority) {
    const argon2Path = createRequire(import.meta.url).resolve('@node-rs/argon2');
    const all = new Set();
    const idle = [];
    const waiting = [];
    let closed = false;
    function start() {
        const thread = new HashThread(argon2Path, priority === 'idle');
        all.add(thread);
        return thread;
    }
    function acquire() {
        if (closed)
            throw new Error('the hashing threads are closed');
        const thread = idle.pop();
        if (thread !== undefined)
            return thread;
        if (all.size < size)
            return start();
        return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    }
    function release(thread) {
        if (thread.dead) {
            all.delete(thread);
            // A replacement is started for the next waiter, if any.
            const next = waiting.shift();
            if (next !== undefined)
                next.resolve(start());
            return;
        }
        const next = waiting.shift();
        if (next !== undefined)
            next.resolve(thread);
        else
            idle.push(thread);
    }
    return {
        async run(op, args) {
            const thread = await acquire();
            try {
                return await thread.run(op, args);
            }
            finally {
                release(thread);
            }
        },
        async close() {
            closed = true;
            idle.length = 0;
            for (const waiter of waiting.splice(0))
                waiter.reject(new Error('the hashing threads are closed'));
            await Promise.all([...all].map(async (thread) => await thread.close()));
        }
    };
}
//# sourceMappingURL=hash-threads.js.map