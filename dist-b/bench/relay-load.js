import { createHistogram, PerformanceObserver } from 'node:perf_hooks';
import { envelopePool, nonceGenerator } from './envelope.js';
import { cpuMicros } from './proc.js';
/** Now on the monotonic clock, in microseconds. */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
const DRAIN_MS = 5000;
/**
 * Drives every pair for warm-up plus duration, then waits (bounded) for what is in flight.
 * Latency is from the moment a message was due (fixed rate: its slot in the schedule, so a
 * stalled server is not hidden by the generator waiting for it) to its arrival at the receiver.
 */
export async function runLoad(pairs, options) {
    const nextEnvelope = envelopePool(options.ciphertextBytes);
    const nextNonce = nonceGenerator();
    const sentAt = new Map();
    const histogram = createHistogram();
    let measuring = false;
    let stopping = false;
    let delivered = 0;
    let errors = 0;
    let skipped = 0;
    for (const { receiver } of pairs) {
        receiver.onDelivery = ({ nonce }) => {
            const t = sentAt.get(nonce);
            if (t === undefined)
                return;
            sentAt.delete(nonce);
            if (measuring) {
                delivered++;
                histogram.record(Math.max(1, Math.round((performance.now() - t) * 1000)));
            }
        };
    }
    function send(pair, due, onDone) {
        const nonce = nextNonce();
        sentAt.set(nonce, due);
        pair.sender.send(pair.receiver.userId, nextEnvelope(), nonce, (outcome) => {
            if (outcome.startsWith('error:')) {
                errors++;
                sentAt.delete(nonce);
            }
            onDone?.();
        });
    }
    const start = performance.now();
    const stopTimer = driver();
    await sleep(options.warmupMs);
    let generatorGcMs = 0;
    const addPauses = (entries) => { for (const entry of entries)
        generatorGcMs += entry.duration; };
    const collections = new PerformanceObserver((list) => { addPauses(list.getEntries()); });
    const cpu0 = cpuMicros(options.pid);
    const t0 = performance.now();
    const startUs = monotonicUs();
    measuring = true;
    collections.observe({ entryTypes: ['gc'] });
    await sleep(options.durationMs);
    measuring = false;
    // Entries are delivered a turn late: the window's last ones are taken here.
    addPauses(collections.takeRecords());
    collections.disconnect();
    const cpu1 = cpuMicros(options.pid);
    const windowMs = performance.now() - t0;
    const endUs = monotonicUs();
    const measured = delivered;
    stopping = true;
    stopTimer();
    const drainDeadline = performance.now() + DRAIN_MS;
    while (pairs.some((p) => p.sender.inFlight > 0) && performance.now() < drainDeadline)
        await sleep(20);
    const ms = (p) => histogram.count === 0 ? NaN : histogram.percentile(p) / 1000;
    return {
        msgsPerSec: measured * 1000 / windowMs,
        delivered: measured,
        skipped,
        errors,
        p50Ms: ms(50),
        p95Ms: ms(95),
        p99Ms: ms(99),
        cpuUsPerMsg: measured === 0 ? NaN : (cpu1 - cpu0) / measured,
        serverCores: (cpu1 - cpu0) / 1000 / windowMs,
        generatorGcMs,
        startUs,
        endUs
    };
    /** Starts sending; returns a function that stops scheduling new messages. */
    function driver() {
        if (options.rate === undefined) {
            const loop = (pair) => { if (!stopping)
                send(pair, performance.now(), () => loop(pair)); };
            for (const pair of pairs)
                for (let i = 0; i < options.window; i++)
                    loop(pair);
            return () => { };
        }
        const interval = 1000 / options.rate;
        let slot = 0;
        const timer = setInterval(() => {
            const now = performance.now();
            // Every slot that has come due since the last tick, round-robin over the pairs.
            for (; start + slot * interval <= now; slot++) {
                const pair = pairs[slot % pairs.length];
                if (pair.sender.inFlight >= options.window) {
                    if (measuring)
                        skipped++;
                    continue;
                }
                send(pair, start + slot * interval);
            }
        }, 1);
        return () => clearInterval(timer);
    }
}
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
//# sourceMappingURL=relay-load.js.map