import { readFileSync } from 'node:fs'

/**
 * Where the time goes in a `node --cpu-prof` profile of the server: self time by function and
 * by area (a package in node_modules, Node's internals, our code, GC, idle).
 * `node dist/bench/profile-summary.js <file.cpuprofile> [top] [startUs:endUs]`: the window (on
 * the monotonic clock, as the bench's JSON records each run's `startUs`/`endUs`) leaves out
 * start-up, sign-ups and the other runs.
 */
export interface ProfileNode { id: number, callFrame: { functionName: string, url: string, lineNumber: number }, hitCount?: number }
export interface Profile { nodes: ProfileNode[], startTime: number, endTime: number, samples: number[], timeDeltas: number[] }

export function area (url: string, name: string): string {
  if (url === '') return name.startsWith('(') ? name : '(native)'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg !== null) return pkg[1]
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0]
  const ours = /\/dist\/(.+?)(?:\.js)?$/.exec(url)
  return ours !== null ? `ours:${ours[1].split('/').slice(0, -1).join('/') || '.'}` : url
}

export interface Window { startUs: number, endUs: number }

/** Self time by area and by function, counting only samples inside `windows` when given. */
export function readProfile (file: string): Profile {
  return JSON.parse(readFileSync(file, 'utf8')) as Profile
}

export function summarize (profile: Profile, windows?: Window[]) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const selfUs = new Map<number, number>()
  // Each sample's time is the delta to the next one.
  let at = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i]
    const dt = profile.timeDeltas[i + 1] ?? 0
    if (windows !== undefined && !windows.some((w) => at >= w.startUs && at <= w.endUs)) continue
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt)
  }
  const byFunction = new Map<string, number>()
  const byArea = new Map<string, number>()
  let total = 0
  for (const [id, us] of selfUs) {
    const { callFrame: f } = byId.get(id)!
    if (f.functionName === '(idle)') continue
    total += us
    const file = f.url.replace(/^.*\/(node_modules|dist)\//, '$1/')
    const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`
    byFunction.set(key, (byFunction.get(key) ?? 0) + us)
    const a = area(f.url, f.functionName)
    byArea.set(a, (byArea.get(a) ?? 0) + us)
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, us]) => ({ name: k, ms: us / 1000, share: us / total }))
  return { busyMs: total / 1000, functions: sorted(byFunction), areas: sorted(byArea) }
}

if (process.argv[1]?.endsWith('profile-summary.js')) {
  const file = process.argv[2]
  if (file === undefined) throw new Error('usage: node dist/bench/profile-summary.js <file.cpuprofile> [top]')
  const top = Number(process.argv[3] ?? 25)
  const [startUs, endUs] = (process.argv[4] ?? '').split(':').map(Number)
  const windows = Number.isFinite(startUs) && Number.isFinite(endUs) ? [{ startUs, endUs }] : undefined
  const s = summarize(readProfile(file), windows)
  const pct = (x: number) => (x * 100).toFixed(1).padStart(5) + '%'
  process.stdout.write(`busy ${s.busyMs.toFixed(0)} ms (idle excluded)\n\nby area\n`)
  for (const a of s.areas.slice(0, top)) process.stdout.write(`${pct(a.share)}  ${a.name}\n`)
  process.stdout.write('\nby function (self time)\n')
  for (const f of s.functions.slice(0, top)) process.stdout.write(`${pct(f.share)}  ${f.name}\n`)
}
