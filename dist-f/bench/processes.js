import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
const live = new Set();
let hooked = false;
/** Children die with the bench, whatever ends it. */
function hookExit() {
    if (hooked)
        return;
    hooked = true;
    const killAll = () => { for (const child of live)
        child.kill('SIGKILL'); };
    process.once('exit', killAll);
    for (const signal of ['SIGINT', 'SIGTERM']) {
        process.once(signal, () => { killAll(); process.exit(130); });
    }
}
/** A free loopback port (the kernel picks it; the tiny race is harmless on a bench machine). */
export async function freePort() {
    return await new Promise((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            const port = typeof address === 'object' && address !== null ? address.port : 0;
            server.close(() => resolve(port));
        });
    });
}
/**
 * The node flags `npm start` runs the server with (package.json; a test keeps the two equal), so
 * the bench measures the server as it is deployed.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=64'];
/**
 * The node flags of the bench process itself, the load generator (`npm run bench`; a test keeps
 * the two equal). Without allocation-site pretenuring: in about one bench process in four, V8
 * decided to allocate some per-message objects (most likely socket.io-client's) straight in the
 * old generation, where, dead, they still held each message's young encoded text through the
 * next scavenges. The generator's pauses doubled for that process's whole life and the shim's p99
 * with them, though our server was the same (BENCHMARKS.md, "Since the 17:03 run").
 */
export const GENERATOR_NODE_FLAGS = ['--no-allocation-site-pretenuring'];
/** Starts a server child on a free loopback port and waits until `readyPath` answers. */
export async function spawnServer(options) {
    hookExit();
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'quietwire-bench-'));
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
        cwd: dataDir,
        env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, ...options.env },
        stdio: ['ignore', 'inherit', 'inherit']
    });
    live.add(child);
    const exited = new Promise((resolve) => child.once('exit', () => { live.delete(child); resolve(); }));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
        if (child.exitCode !== null)
            throw new Error(`${options.script} exited with ${child.exitCode} before it was ready`);
        try {
            const res = await fetch(url + options.readyPath);
            if (res.ok)
                break;
        }
        catch { }
        if (Date.now() > deadline) {
            child.kill('SIGKILL');
            throw new Error(`${options.script} not ready after ${options.timeoutMs ?? 30_000} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return {
        pid: child.pid,
        url,
        port,
        async stop() {
            if (child.exitCode === null) {
                child.kill('SIGTERM');
                const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
                await exited;
                clearTimeout(timer);
            }
            rmSync(dataDir, { recursive: true, force: true });
        }
    };
}
/** The environment of a production-like quietwire server under the bench's load. */
export function serverEnv(extra = {}) {
    return {
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        JWT_SECRET: randomBytes(32).toString('hex'),
        TOTP_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        // The bench signs in many users from one address and sends far over a person's rate.
        RATE_LIMIT_MAX: '100000000',
        AUTH_RATE_LIMIT_MAX: '100000000',
        RELAY_RATE_BURST: '100000000',
        RELAY_RATE_PER_SECOND: '100000000',
        ...extra
    };
}
const SERVE = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'serve.js');
/** The built quietwire server as `npm start` runs it, with `extra` environment (see serverEnv). */
export async function spawnQuietwire(extra, nodeArgs = []) {
    return await spawnServer({ script: SERVE, env: serverEnv(extra), nodeArgs: [...SERVER_NODE_FLAGS, ...nodeArgs], readyPath: '/readyz' });
}
//# sourceMappingURL=processes.js.map