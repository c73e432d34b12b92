import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { login } from './accounts.js';
if (!isMainThread && parentPort !== null) {
    lowerOwnPriority();
    const { url, accounts, concurrency, warmupMs } = workerData;
    const port = parentPort;
    let stop = false;
    let logins = 0;
    let errors = 0;
    let countFrom = Infinity;
    const countTimer = setTimeout(() => { countFrom = performance.now(); }, warmupMs);
    async function loop(k) {
        for (let i = k; !stop; i += concurrency) {
            const account = accounts[i % accounts.length];
            try {
                await login(url, account.username, account.password);
                if (performance.now() >= countFrom)
                    logins++;
            }
            catch {
                errors++;
            }
        }
    }
    const loops = Array.from({ length: concurrency }, async (_, k) => await loop(k));
    port.postMessage('started');
    port.once('message', () => {
        stop = true;
        clearTimeout(countTimer);
        const countedMs = countFrom === Infinity ? 0 : performance.now() - countFrom;
        void Promise.all(loops).then(() => { port.postMessage({ logins, errors, countedMs }); });
    });
}
/** Niceness 19, then SCHED_IDLE through util-linux `chrt` where present, for the calling thread only. */
function lowerOwnPriority() {
    try {
        const tid = readlinkSync('/proc/thread-self').split('/').pop() ?? '';
        setPriority(Number(tid), 19);
        execFileSync('chrt', ['--idle', '--pid', '0', tid], { stdio: 'ignore', timeout: 5000 });
    }
    catch { }
}
/**
 * Starts `concurrency` clients signing in back to back, resolving once they have begun; logins are
 * counted after `warmupMs`.
 */
export async function startLoginStorm(data) {
    const worker = new Worker(new URL(import.meta.url), { workerData: data });
    await once(worker, 'message');
    return {
        stop: async () => {
            const counted = once(worker, 'message');
            worker.postMessage('stop');
            try {
                return (await counted)[0];
            }
            finally {
                await worker.terminate();
            }
        }
    };
}
//# sourceMappingURL=login-clients.js.map