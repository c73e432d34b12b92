import { readFileSync } from 'node:fs';
export function area(url, name) {
    if (url === '')
        return name.startsWith('(') ? name : '(native)';
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (pkg !== null)
        return pkg[1];
    if (url.startsWith('node:'))
        return 'node:' + url.slice(5).split('/')[0];
    const ours = /\/dist\/(.+?)(?:\.js)?$/.exec(url);
    return ours !== null ? `ours:${ours[1].split('/').slice(0, -1).join('/') || '.'}` : url;
}
/** Self time by area and by function, counting only samples inside `windows` when given. */
export function readProfile(file) {
    return JSON.parse(readFileSync(file, 'utf8'));
}
export function summarize(profile, windows) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const selfUs = new Map();
    // Each sample's time is the delta to the next one.
    let at = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
        at += profile.timeDeltas[i];
        const dt = profile.timeDeltas[i + 1] ?? 0;
        if (windows !== undefined && !windows.some((w) => at >= w.startUs && at <= w.endUs))
            continue;
        selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt);
    }
    const byFunction = new Map();
    const byArea = new Map();
    let total = 0;
    for (const [id, us] of selfUs) {
        const { callFrame: f } = byId.get(id);
        if (f.functionName === '(idle)')
            continue;
        total += us;
        const file = f.url.replace(/^.*\/(node_modules|dist)\//, '$1/');
        const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
        byFunction.set(key, (byFunction.get(key) ?? 0) + us);
        const a = area(f.url, f.functionName);
        byArea.set(a, (byArea.get(a) ?? 0) + us);
    }
    const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]).map(([k, us]) => ({ name: k, ms: us / 1000, share: us / total }));
    return { busyMs: total / 1000, functions: sorted(byFunction), areas: sorted(byArea) };
}
if (process.argv[1]?.endsWith('profile-summary.js')) {
    const file = process.argv[2];
    if (file === undefined)
        throw new Error('usage: node dist/bench/profile-summary.js <file.cpuprofile> [top]');
    const top = Number(process.argv[3] ?? 25);
    const [startUs, endUs] = (process.argv[4] ?? '').split(':').map(Number);
    const windows = Number.isFinite(startUs) && Number.isFinite(endUs) ? [{ startUs, endUs }] : undefined;
    const s = summarize(readProfile(file), windows);
    const pct = (x) => (x * 100).toFixed(1).padStart(5) + '%';
    process.stdout.write(`busy ${s.busyMs.toFixed(0)} ms (idle excluded)\n\nby area\n`);
    for (const a of s.areas.slice(0, top))
        process.stdout.write(`${pct(a.share)}  ${a.name}\n`);
    process.stdout.write('\nby function (self time)\n');
    for (const f of s.functions.slice(0, top))
        process.stdout.write(`${pct(f.share)}  ${f.name}\n`);
}
//# sourceMappingURL=profile-summary.js.map