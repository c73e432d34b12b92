import { ConfigSchema } from '../../schemas/config.js';
import { createPasswordHasher } from '../../plugins/auth/argon2.js';
import { startLoginStorm } from '../login-clients.js';
import { median } from '../stats.js';
import { runLoad } from '../relay-load.js';
/** The server's Argon2 cost: the schema defaults, as `serverEnv` leaves them. */
function defaultCost() {
    const p = ConfigSchema.properties;
    return {
        memoryKib: p.ARGON2_MEMORY_KIB.default,
        timeCost: p.ARGON2_TIME_COST.default,
        parallelism: p.ARGON2_PARALLELISM.default,
        maxConcurrent: p.ARGON2_MAX_CONCURRENT.default
    };
}
/** One verification's time with a core to itself, through our own hashing module at the server's cost. */
async function measureHash(cost) {
    const hasher = createPasswordHasher({ ...cost, maxConcurrent: 1, priority: 'normal' });
    try {
        const encoded = await hasher.hash('bench-password-for-timing');
        const times = [];
        for (let i = 0; i < 7; i++) {
            const t0 = performance.now();
            await hasher.verify(encoded, 'bench-password-for-timing');
            times.push(performance.now() - t0);
        }
        return median(times);
    }
    finally {
        await hasher.close();
    }
}
/**
 * `options.rounds` storms, each with logins as fast as `concurrency` clients can send them for
 * the storm's duration, between runs of the relay at the fixed rate without one.
 */
export async function runLoginStorm(pid, url, accounts, connectPairs, closePairs, options) {
    const cost = defaultCost();
    const hashMs = await measureHash(cost);
    const boundLoginsPerSec = cost.maxConcurrent * 1000 / hashMs;
    const relayOptions = { pid, warmupMs: options.warmup * 1000, durationMs: options.stormDuration * 1000, ciphertextBytes: options.ciphertextBytes, rate: options.rate, window: 1000 };
    async function relay() {
        const pairs = await connectPairs();
        try {
            return await runLoad(pairs, relayOptions);
        }
        finally {
            await closePairs(pairs);
        }
    }
    async function storm() {
        const pairs = await connectPairs();
        const clients = await startLoginStorm({ url, accounts: accounts.map(({ username, password }) => ({ username, password })), concurrency: options.stormConcurrency, warmupMs: options.warmup * 1000 });
        let during;
        let counted;
        try {
            during = await runLoad(pairs, relayOptions);
        }
        finally {
            counted = await clients.stop();
            await closePairs(pairs);
        }
        return { loginsPerSec: counted.logins * 1000 / counted.countedMs, loginErrors: counted.errors, relay: during };
    }
    const withoutStorm = [await relay()];
    const storms = [];
    for (let i = 0; i < options.rounds; i++) {
        storms.push(await storm());
        withoutStorm.push(await relay());
    }
    const p99WithoutMs = median(withoutStorm.map((r) => r.p99Ms));
    const p99DuringMs = median(storms.map((s) => s.relay.p99Ms));
    const loginsPerSec = median(storms.map((s) => s.loginsPerSec));
    return {
        hashMs,
        maxConcurrentHashes: cost.maxConcurrent,
        boundLoginsPerSec,
        loginsPerSec,
        ofBound: loginsPerSec / boundLoginsPerSec,
        loginErrors: storms.reduce((sum, s) => sum + s.loginErrors, 0),
        p99WithoutMs,
        p99DuringMs,
        p99Ratio: p99DuringMs / p99WithoutMs,
        storms,
        withoutStorm
    };
}
//# sourceMappingURL=login-storm.js.map