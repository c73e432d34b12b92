import { envelopePool, nonceGenerator } from '../envelope.js';
import { cpuMicros } from '../proc.js';
import { monotonicUs, sleep } from '../relay-load.js';
const WINDOW = 64;
const DEADLINE_MS = 120_000;
/**
 * Senders send `messages` in all to recipients that are not connected, each keeping WINDOW in
 * flight; a message counts once its `queued` ack says it was committed. Then the recipients
 * connect and receive (and ack) everything.
 */
export async function runOfflineQueue(pid, senders, recipientIds, connectRecipient, messages, ciphertextBytes) {
    const nextEnvelope = envelopePool(ciphertextBytes);
    const nextNonce = nonceGenerator();
    const perSender = Math.ceil(messages / senders.length);
    let stored = 0;
    let errors = 0;
    const deadline = performance.now() + DEADLINE_MS;
    const cpu0 = cpuMicros(pid);
    const t0 = performance.now();
    const storeStart = monotonicUs();
    await Promise.all(senders.map(async (sender, i) => {
        await new Promise((resolve) => {
            let sent = 0;
            let done = 0;
            const pump = () => {
                while (sent < perSender && sender.inFlight < WINDOW && performance.now() < deadline) {
                    sent++;
                    sender.send(recipientIds[i], nextEnvelope(), nextNonce(), (outcome) => {
                        if (outcome === 'queued')
                            stored++;
                        else
                            errors++;
                        if (++done === perSender)
                            resolve();
                        else
                            pump();
                    });
                }
                if (performance.now() >= deadline)
                    resolve();
            };
            pump();
        });
    }));
    const storeMs = performance.now() - t0;
    const storeUs = [storeStart, monotonicUs()];
    const storeCpu = cpuMicros(pid) - cpu0;
    let drained = 0;
    const cpu1 = cpuMicros(pid);
    const t1 = performance.now();
    const drainStart = monotonicUs();
    const recipients = await Promise.all(recipientIds.map(async (_, i) => await connectRecipient(i, () => { drained++; })));
    while (drained < stored && performance.now() < t1 + DEADLINE_MS)
        await sleep(5);
    const drainMs = performance.now() - t1;
    const drainUs = [drainStart, monotonicUs()];
    const drainCpu = cpuMicros(pid) - cpu1;
    await Promise.all(recipients.map(async (c) => await c.close()));
    return {
        messages: perSender * senders.length,
        recipients: recipientIds.length,
        storedPerSec: stored * 1000 / storeMs,
        drainedPerSec: drained * 1000 / drainMs,
        stored,
        drained,
        errors,
        storeCpuUsPerMsg: storeCpu / stored,
        drainCpuUsPerMsg: drainCpu / drained,
        storeUs,
        drainUs
    };
}
//# sourceMappingURL=offline-queue.js.map