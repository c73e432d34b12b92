import { Worker } from 'node:worker_threads';
/**
 * A worker thread running `source`: plain CommonJS evaluated without the parent's loaders
 * (`execArgv: []`), so it starts in milliseconds and loads only what it requires, also under the
 * test runner's TypeScript loader. The thread never keeps the process alive by itself.
 */
export function startBackgroundThread(source, workerData) {
    const worker = new Worker(source, { eval: true, execArgv: [], workerData });
    worker.unref();
    return {
        worker,
        stop: async () => {
            // On Node 20, `ref()` after `unref()` does not hold the process open while a thread is
            // terminating: with nothing else to wait for, the process would end before the thread
            // does, and the caller's promise with it. A timer holds it open instead.
            const holdOpen = setInterval(() => { }, 1000);
            try {
                await worker.terminate();
            }
            finally {
                clearInterval(holdOpen);
            }
        }
    };
}
//# sourceMappingURL=background-thread.js.map