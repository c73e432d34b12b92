import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAccounts } from './accounts.js';
import { spawnQuietwire, spawnServer } from './processes.js';
import { runLoad } from './relay-load.js';
import { ceilingTarget, closePairs, quietwireTarget } from './scenarios/relay.js';
/**
 * One relay run (fixed rate, or `--rate 0` for as fast as a window of 16 allows) against one
 * server (`native`, `socketio` or `ceiling`), with a tool attached over the measured window only,
 * so two servers can be compared on exactly the same kind of window (the full bench's profiles
 * cover only the main thread). `PID` and `DUR` in the tool's command are replaced.
 *
 *   node dist/bench/probe.js --server native --tool 'strace -c -f -p PID -o /tmp/s.txt' (stops at DUR)
 *   node dist/bench/probe.js --server ceiling --node-arg=--perf-basic-prof \
 *     --tool 'perf record -F 2000 -g -p PID -o /tmp/ceiling.data -- sleep DUR'
 *   node dist/bench/probe.js --server native --node-arg=--trace-gc-nvp --tool 'echo probe-start; sleep DUR; echo probe-end'
 *
 * Run it with the load generator's flags (`GENERATOR_NODE_FLAGS` in processes.ts) in front of the
 * script, as `npm run bench` does, for figures comparable with the bench's.
 *
 * The last prints the server's every collection between the two marks: `promoted=` per
 * scavenge is what outlives the young generation, the first thing to compare with the ceiling.
 */
const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
    options: {
        server: { type: 'string', default: 'native' },
        tool: { type: 'string', default: '' },
        seconds: { type: 'string', default: '4' },
        warmup: { type: 'string', default: '2' },
        rate: { type: 'string', default: '5000' },
        pairs: { type: 'string', default: '50' },
        'node-arg': { type: 'string', multiple: true, default: [] }
    }
});
const seconds = Number(values.seconds);
const rate = Number(values.rate);
const pairsCount = Number(values.pairs);
const nodeArgs = values['node-arg'] ?? [];
const ceiling = values.server === 'ceiling';
const server = ceiling
    ? await spawnServer({ script: join(here, 'ceiling-server.js'), nodeArgs, readyPath: '/healthz' })
    : await spawnQuietwire({ ACCESS_TOKEN_TTL: '2h' }, nodeArgs);
try {
    const target = ceiling
        ? ceilingTarget(server.pid, server.url, pairsCount)
        : quietwireTarget(values.server === 'socketio' ? 'socketio' : 'native', server.pid, server.url, await createAccounts(server.url, 'p', 2 * pairsCount));
    const pairs = await target.connectPairs();
    const warmupMs = Number(values.warmup) * 1000;
    let exited = Promise.resolve();
    const timer = setTimeout(() => {
        if (values.tool === '')
            return;
        const command = values.tool.replaceAll('PID', String(server.pid)).replaceAll('DUR', String(seconds));
        const child = spawn('sh', ['-c', command], { stdio: 'inherit' });
        exited = new Promise((resolve) => child.once('exit', resolve));
    }, warmupMs);
    const result = await runLoad(pairs, { pid: server.pid, durationMs: seconds * 1000, warmupMs, ciphertextBytes: 1024, ...(rate > 0 ? { rate, window: 1000 } : { window: 16 }) });
    clearTimeout(timer);
    await exited;
    process.stdout.write(`${values.server}: ${result.msgsPerSec.toFixed(0)} msg/s, p99 ${result.p99Ms.toFixed(2)} ms, ${result.cpuUsPerMsg.toFixed(1)} us CPU/msg, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
    await closePairs(pairs);
}
finally {
    await server.stop();
}
//# sourceMappingURL=probe.js.map