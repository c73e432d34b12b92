import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
/** The CPUs the calling thread may run on, from Linux's /proc; undefined elsewhere. */
export function allowedCpus() {
    let status;
    try {
        status = readFileSync('/proc/thread-self/status', 'utf8');
    }
    catch {
        return undefined;
    }
    const list = /^Cpus_allowed_list:\s*(\S+)$/m.exec(status)?.[1];
    return list === undefined ? undefined : parseCpuList(list);
}
/** "0-2,5" → [0, 1, 2, 5] */
export function parseCpuList(list) {
    return list.split(',').flatMap((part) => {
        const [first, last = first] = part.split('-').map(Number);
        return Array.from({ length: last - first + 1 }, (_, i) => first + i);
    });
}
/**
 * The CPUs split between the event loop and `background` threads of background work: the last
 * ones for that work, the rest for the event loop. Undefined when that would leave the event
 * loop no CPU, where sharing them all is the better choice.
 */
export function splitCpus(cpus, background) {
    if (cpus.length <= background)
        return undefined;
    return { eventLoop: cpus.slice(0, cpus.length - background), background: cpus.slice(cpus.length - background) };
}
/**
 * Restricts one thread (by its Linux thread id; the main thread's is the pid) to `cpus`, through
 * util-linux `taskset`. False where that is not possible (no Linux, no taskset): the thread then
 * runs anywhere, as before.
 */
export function pinThread(tid, cpus) {
    try {
        execFileSync('taskset', ['--pid', '--cpu-list', cpus.join(','), String(tid)], { stdio: 'ignore', timeout: 5000 });
        return true;
    }
    catch {
        return false;
    }
}
/**
 * Keeps the process's main thread (the event loop) on `cpus` from now on. Threads started before
 * keep every CPU; libuv starts its whole thread pool at its first use, so one use comes first,
 * or the pool could start later and share the event loop's CPUs. False where pinning is not
 * possible.
 */
export async function keepEventLoopOn(cpus) {
    await stat('.');
    return pinThread(process.pid, cpus);
}
//# sourceMappingURL=cpu-affinity.js.map