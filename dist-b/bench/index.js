import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAccounts, hidePresence } from './accounts.js';
import { connectNative } from './clients/native.js';
import { parseOptions } from './options.js';
import { spawnQuietwire, spawnServer } from './processes.js';
import { checkTargets, formatTable, machine } from './report.js';
import { readProfile, summarize } from './profile-summary.js';
import { measureIdle } from './scenarios/idle.js';
import { runLoginStorm } from './scenarios/login-storm.js';
import { runOfflineQueue } from './scenarios/offline-queue.js';
import { ceilingTarget, closePairs, quietwireTarget, runRelayComparison } from './scenarios/relay.js';
/**
 * `npm run bench`: the built server (dist/) as a child process at LOG_LEVEL=warn on loopback,
 * against the bare-ws ceiling in the same run. Prints a table and writes the figures as JSON.
 */
const here = dirname(fileURLToPath(import.meta.url));
const CEILING = join(here, 'ceiling-server.js');
const log = (line) => process.stderr.write(`bench: ${line}\n`);
function openFileLimit() {
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return match === null || match[1] === 'unlimited' ? Infinity : Number(match[1]);
}
async function main(options) {
    const needed = (options.only.has('idle') ? options.idle : 0) + 4 * options.pairs + 200;
    if (openFileLimit() < needed) {
        throw new Error(`open file limit ${openFileLimit()} is below the ${needed} this run needs: raise it (ulimit -n ${needed}) or lower --idle`);
    }
    const nodeArgs = options.profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${resolve(options.profileDir)}`];
    const results = { date: new Date().toISOString(), machine: machine(), options: { ...options, only: [...options.only] }, targets: [] };
    const { only } = options;
    if (only.has('native') || only.has('socketio') || only.has('storm') || only.has('offline')) {
        // Access tokens must outlive the run; every other setting is the production default.
        const ours = await spawnQuietwire({ ACCESS_TOKEN_TTL: '2h' }, nodeArgs);
        const pids = {};
        try {
            log(`server pid ${ours.pid} at ${ours.url}; registering ${2 * options.pairs} users (production Argon2)`);
            const accounts = await createAccounts(ours.url, 'b', 2 * options.pairs);
            const native = quietwireTarget('native', ours.pid, ours.url, accounts);
            if (only.has('native') || only.has('socketio'))
                await attempt('relay', results, async () => {
                    const ceiling = await spawnServer({ script: CEILING, nodeArgs, readyPath: '/healthz' });
                    // Each transport gets a server of its own, so each sees the load the ceiling sees: one
                    // server for both carried the garbage of the other's max-throughput runs into its
                    // fixed-rate windows, where full collections of it landed.
                    const shim = only.has('native') && only.has('socketio') ? await spawnQuietwire({ ACCESS_TOKEN_TTL: '2h' }, nodeArgs) : undefined;
                    try {
                        const targets = [ceilingTarget(ceiling.pid, ceiling.url, options.pairs)];
                        if (only.has('native'))
                            targets.push(native);
                        if (shim !== undefined) {
                            log(`Socket.IO shim server pid ${shim.pid}; registering ${2 * options.pairs} users`);
                            targets.push(quietwireTarget('socketio', shim.pid, shim.url, await createAccounts(shim.url, 's', 2 * options.pairs)));
                        }
                        else if (only.has('socketio')) {
                            targets.push(quietwireTarget('socketio', ours.pid, ours.url, accounts));
                        }
                        for (const target of targets)
                            pids[target.name] = target.pid;
                        results.relay = await runRelayComparison(targets, options, log);
                    }
                    finally {
                        await Promise.all([ceiling.stop(), shim?.stop()]);
                    }
                });
            if (only.has('storm'))
                await attempt('storm', results, async () => {
                    log(`login storm: ${options.stormConcurrency} concurrent logins for ${options.stormDuration} s`);
                    results.storm = await runLoginStorm(ours.pid, ours.url, accounts, native.connectPairs, closePairs, options);
                });
            if (only.has('offline'))
                await attempt('offline', results, async () => { results.offline = await offline(ours, accounts, options); });
        }
        finally {
            await ours.stop();
        }
        if (options.profileDir !== undefined)
            results.profile = profileOf(pids, ours.pid, options.profileDir, results);
    }
    if (only.has('idle'))
        await attempt('idle', results, async () => { results.idle = await idle(options); });
    results.machine.loadAverageAfter = loadavg();
    results.targets = checkTargets(results);
    if (results.failures !== undefined)
        process.exitCode = 1;
    process.stdout.write(formatTable(results) + '\n');
    mkdirSync(dirname(resolve(options.out)), { recursive: true });
    writeFileSync(options.out, JSON.stringify(results, null, 2) + '\n');
    log(`figures written to ${options.out}`);
}
/** Where each server's time went during its measured windows, per target and mode. */
function profileOf(relayPids, oursPid, dir, results) {
    const fileOf = (pid) => readdirSync(dir).find((name) => name.includes(`.${pid}.`) && name.endsWith('.cpuprofile'));
    const out = { files: [], runs: {} };
    for (const [name, modes] of Object.entries(results.relay ?? {})) {
        const file = fileOf(relayPids[name]);
        if (file === undefined)
            continue;
        const profile = readProfile(join(dir, file));
        if (!out.files.includes(join(dir, file)))
            out.files.push(join(dir, file));
        for (const mode of ['fixed', 'max']) {
            const s = summarize(profile, modes[mode].rounds.map((r) => ({ startUs: r.startUs, endUs: r.endUs })));
            out.runs[`${name} ${mode}`] = { busyMs: s.busyMs, areas: s.areas.slice(0, 12), functions: s.functions.slice(0, 20) };
        }
    }
    const file = fileOf(oursPid);
    if (results.offline !== undefined && file !== undefined) {
        const profile = readProfile(join(dir, file));
        for (const [phase, [startUs, endUs]] of [['store', results.offline.storeUs], ['drain', results.offline.drainUs]]) {
            const s = summarize(profile, [{ startUs, endUs }]);
            out.runs[`offline ${phase}`] = { busyMs: s.busyMs, areas: s.areas.slice(0, 12), functions: s.functions.slice(0, 20) };
        }
    }
    return out;
}
/** One scenario failing (a timeout, a refused login) is reported; the others still run. */
async function attempt(name, results, run) {
    try {
        await run();
    }
    catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log(`${name} failed: ${message}`);
        results.failures = { ...results.failures, [name]: message };
    }
}
async function offline(ours, accounts, options) {
    const count = Math.min(options.offlineRecipients, options.pairs);
    log(`offline queue: ${options.offlineMessages} messages to ${count} recipients`);
    // Fresh recipients: nothing left over from the relay runs waits for them.
    const recipients = await createAccounts(ours.url, 'q', count);
    const senders = await Promise.all(accounts.slice(0, count).map(async (_, i) => await connectNative({ url: ours.url, userId: accounts[2 * i].id, token: accounts[2 * i].token })));
    try {
        return await runOfflineQueue(ours.pid, senders, recipients.map((r) => r.id), async (i, onDelivery) => await connectNative({ url: ours.url, userId: recipients[i].id, token: recipients[i].token, onDelivery }), options.offlineMessages, options.ciphertextBytes);
    }
    finally {
        await Promise.all(senders.map(async (s) => await s.close()));
    }
}
async function idle(options) {
    // Signing in thousands of users at production Argon2 cost would take minutes and measures
    // nothing here: this server hashes cheaply; the connections are what is measured.
    const ours = await spawnQuietwire({ ACCESS_TOKEN_TTL: '2h', ARGON2_MEMORY_KIB: '64', ARGON2_TIME_COST: '1' });
    let oursResult;
    try {
        log(`idle: registering ${options.idle} users`);
        const accounts = await createAccounts(ours.url, 'i', options.idle, 8);
        for (let i = 0; i < accounts.length; i += 50)
            await Promise.all(accounts.slice(i, i + 50).map(async (a) => await hidePresence(ours.url, a)));
        log(`idle: opening ${options.idle} authenticated connections`);
        oursResult = await measureIdle(ours.pid, options.idle, async (i) => await connectNative({ url: ours.url, userId: accounts[i].id, token: accounts[i].token }));
    }
    finally {
        await ours.stop();
    }
    const ceiling = await spawnServer({ script: CEILING, readyPath: '/healthz' });
    try {
        log(`idle: opening ${options.idle} ceiling connections`);
        const ceilingResult = await measureIdle(ceiling.pid, options.idle, async (i) => await connectNative({ url: ceiling.url, userId: `idle${i}` }));
        return { ours: oursResult, ceiling: ceilingResult };
    }
    finally {
        await ceiling.stop();
    }
}
try {
    await main(parseOptions());
}
catch (err) {
    log(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
}
//# sourceMappingURL=index.js.map