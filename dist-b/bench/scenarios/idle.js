import { rssBytes } from '../proc.js';
import { sleep } from '../relay-load.js';
const BATCH = 100;
const WARM_UP = 10;
const SETTLE_MS = 2000;
/**
 * Opens `count` connections and measures the server's RSS growth per connection. A warm-up opens
 * and closes a few first, so the one-time cost of the first connection (code, buffers, pools) is
 * in the baseline, not spread over the measured ones.
 */
export async function measureIdle(pid, count, connect, settleMs = SETTLE_MS) {
    const warm = await openMany(Math.min(WARM_UP, count), connect, 0);
    await closeMany(warm);
    await sleep(settleMs);
    const rssBeforeBytes = rssBytes(pid);
    const clients = await openMany(count, connect, 0);
    await sleep(settleMs);
    const rssAfterBytes = rssBytes(pid);
    await closeMany(clients);
    return { connections: count, rssBeforeBytes, rssAfterBytes, bytesPerConnection: (rssAfterBytes - rssBeforeBytes) / count };
}
async function openMany(count, connect, offset) {
    const clients = [];
    for (let i = 0; i < count; i += BATCH) {
        clients.push(...await Promise.all(Array.from({ length: Math.min(BATCH, count - i) }, async (_, j) => await connect(offset + i + j))));
    }
    return clients;
}
async function closeMany(clients) {
    for (let i = 0; i < clients.length; i += BATCH) {
        await Promise.all(clients.slice(i, i + BATCH).map(async (c) => await c.close()));
    }
}
//# sourceMappingURL=idle.js.map