import { parseArgs } from 'node:util';
export const SCENARIOS = ['native', 'socketio', 'idle', 'storm', 'offline'];
const SPEC = {
    pairs: { def: 50, max: 1000 },
    rate: { def: 5000, max: 100000 },
    window: { def: 16, max: 1000 },
    'ciphertext-bytes': { def: 1024, max: 65536 },
    duration: { def: 5, max: 120 },
    warmup: { def: 1, max: 30 },
    rounds: { def: 6, max: 20 },
    idle: { def: 5000, max: 15000 },
    'storm-concurrency': { def: 16, max: 256 },
    'storm-duration': { def: 5, max: 60 },
    'offline-messages': { def: 40000, max: 1000000 },
    'offline-recipients': { def: 20, max: 1000 }
};
export function parseOptions(argv = process.argv.slice(2), env = process.env) {
    const { values } = parseArgs({
        args: argv,
        options: {
            ...Object.fromEntries(Object.keys(SPEC).map((k) => [k, { type: 'string' }])),
            only: { type: 'string' },
            profile: { type: 'string' },
            out: { type: 'string' }
        },
        strict: true
    });
    const num = (key) => {
        const raw = values[key] ?? env[`BENCH_${key.toUpperCase().replaceAll('-', '_')}`];
        const { def, max } = SPEC[key];
        if (raw === undefined)
            return def;
        const value = Number(raw);
        // Every loop in the bench is bounded by these: refuse what would not be.
        if (!Number.isFinite(value) || value <= 0 || value > max)
            throw new Error(`--${key} must be a number in (0, ${max}], got ${raw}`);
        return value;
    };
    const onlyRaw = values.only ?? env.BENCH_ONLY;
    const only = new Set(onlyRaw === undefined ? SCENARIOS : onlyRaw.split(',').map((s) => {
        if (!SCENARIOS.includes(s))
            throw new Error(`--only takes ${SCENARIOS.join(',')}; got ${s}`);
        return s;
    }));
    return {
        pairs: Math.round(num('pairs')),
        rate: num('rate'),
        window: Math.round(num('window')),
        ciphertextBytes: Math.round(num('ciphertext-bytes')),
        duration: num('duration'),
        warmup: num('warmup'),
        rounds: Math.round(num('rounds')),
        idle: Math.round(num('idle')),
        stormConcurrency: Math.round(num('storm-concurrency')),
        stormDuration: num('storm-duration'),
        offlineMessages: Math.round(num('offline-messages')),
        offlineRecipients: Math.round(num('offline-recipients')),
        only,
        profileDir: values.profile ?? env.BENCH_PROFILE,
        out: values.out ?? env.BENCH_OUT ?? 'bench/results/latest.json'
    };
}
//# sourceMappingURL=options.js.map