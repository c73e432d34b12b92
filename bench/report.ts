import { cpus, loadavg, totalmem, release } from 'node:os'
import type { IdleResult } from './scenarios/idle.js'
import type { StormResult } from './scenarios/login-storm.js'
import type { OfflineResult } from './scenarios/offline-queue.js'
import type { Mode, RelayFigures } from './scenarios/relay.js'

export interface BenchResults {
  date: string
  machine: { cpu: string, cores: number, memoryGiB: number, node: string, nodeFlags: string[], kernel: string, loadAverageBefore: number[], loadAverageAfter?: number[] }
  options: Record<string, unknown>
  relay?: Record<string, Record<Mode, RelayFigures>>
  idle?: { ceiling: IdleResult, ours: IdleResult }
  storm?: StormResult
  offline?: OfflineResult
  /** With --profile: the server's self time by area and function inside each kind of measured run. */
  profile?: { files: string[], runs: Record<string, { busyMs: number, areas: Share[], functions: Share[] }> }
  /** Scenarios that failed, with why. */
  failures?: Record<string, string>
  targets: Target[]
}

export interface Share { name: string, ms: number, share: number }

export interface Target { name: string, measured: number, limit: string, met: boolean }

export function machine (): BenchResults['machine'] {
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, nodeFlags: process.execArgv, kernel: release(), loadAverageBefore: loadavg() }
}

/** The targets, checked against this run's figures. */
export function checkTargets (r: BenchResults): Target[] {
  const targets: Target[] = []
  const add = (name: string, measured: number | undefined, op: '<=' | '>=', limit: number, unit = '') => {
    if (measured === undefined || Number.isNaN(measured)) return
    targets.push({ name, measured, limit: `${op} ${limit}${unit}`, met: op === '<=' ? measured <= limit : measured >= limit })
  }
  for (const [name, cpuLimit] of [['native', 1.25], ['socketio', 1.4]] as const) {
    const t = r.relay?.[name]
    add(`${name}: CPU/msg at fixed rate, x ceiling`, t?.fixed.ratio?.cpuUsPerMsg, '<=', cpuLimit, 'x')
    add(`${name}: max throughput, x ceiling`, t?.max.ratio?.msgsPerSec, '>=', 0.85, 'x')
    add(`${name}: p99 at fixed rate, x ceiling`, t?.fixed.ratio?.p99Ms, '<=', 1.5, 'x')
  }
  add('idle: server RSS per connection, KiB', r.idle === undefined ? undefined : r.idle.ours.bytesPerConnection / 1024, '<=', 12)
  add('login storm: relay p99, x without storm', r.storm?.p99Ratio, '<=', 2, 'x')
  add('offline queue: stored msgs/s', r.offline?.storedPerSec, '>=', 20000)
  add('offline queue: drained msgs/s', r.offline?.drainedPerSec, '>=', 20000)
  return targets
}

const f = (n: number | undefined, digits = 1) => n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits)
const row = (cells: string[], widths: number[]) => cells.map((c, i) => i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])).join('  ')

/** The run as plain-text tables (what `npm run bench` prints). */
export function formatTable (r: BenchResults): string {
  const out: string[] = []
  out.push(`quietwire bench ${r.date} on ${r.machine.cores} x ${r.machine.cpu}, node ${[r.machine.node, ...r.machine.nodeFlags].join(' ')}, load average ${r.machine.loadAverageBefore.map((l) => l.toFixed(1)).join(' ')} before`)
  if (r.relay !== undefined) {
    const widths = [22, 10, 8, 8, 8, 10, 8, 7, 7, 7]
    out.push('', 'Relay (median of rounds; "x" = ratio to the ceiling in the same round)')
    out.push(row(['run', 'msg/s', 'p50 ms', 'p95 ms', 'p99 ms', 'CPU us/msg', 'x msg/s', 'x p99', 'x CPU', 'cores'], widths))
    for (const [name, modes] of Object.entries(r.relay)) {
      for (const mode of ['max', 'fixed'] as const) {
        const { median: m, ratio } = modes[mode]
        out.push(row([`${name} ${mode === 'max' ? 'max' : 'fixed rate'}`, f(m.msgsPerSec, 0), f(m.p50Ms, 2), f(m.p95Ms, 2), f(m.p99Ms, 2), f(m.cpuUsPerMsg), f(ratio?.msgsPerSec, 2), f(ratio?.p99Ms, 2), f(ratio?.cpuUsPerMsg, 2), f(m.serverCores, 2)], widths))
      }
    }
  }
  if (r.idle !== undefined) {
    out.push('', `Idle connections: ${r.idle.ours.connections}`)
    out.push(`  ours    ${f(r.idle.ours.bytesPerConnection / 1024)} KiB RSS per connection`)
    out.push(`  ceiling ${f(r.idle.ceiling.bytesPerConnection / 1024)} KiB RSS per connection`)
  }
  if (r.storm !== undefined) {
    const s = r.storm
    out.push('', 'Login storm')
    out.push(`  Argon2id verify ${f(s.hashMs)} ms, ${s.maxConcurrentHashes} at a time: bound ${f(s.boundLoginsPerSec)} logins/s`)
    out.push(`  hashing ${f(s.hashDutyCycle * 100, 0)}% of the time (ARGON2_DUTY_CYCLE): paced bound ${f(s.pacedBoundLoginsPerSec)} logins/s`)
    out.push(`  logins/s ${f(s.loginsPerSec)} (${f(s.ofBound * 100, 0)}% of bound, ${f(s.ofPacedBound * 100, 0)}% of paced bound, ${s.loginErrors} errors)`)
    out.push(`  relay p99 ${f(s.p99WithoutMs, 2)} ms without, ${f(s.p99DuringMs, 2)} ms during (${f(s.p99Ratio, 2)}x; medians of runs)`)
    out.push(`    during storms  ${s.storms.map((x) => f(x.relay.p99Ms, 2)).join(', ')} ms`)
    out.push(`    without        ${s.withoutStorm.map((x) => f(x.p99Ms, 2)).join(', ')} ms (in order, around them)`)
  }
  if (r.offline !== undefined) {
    const o = r.offline
    out.push('', `Offline queue: ${o.messages} messages to ${o.recipients} recipients`)
    out.push(`  stored  ${f(o.storedPerSec, 0)} msg/s (${o.stored} acked queued, ${o.errors} errors, ${f(o.storeCpuUsPerMsg)} us CPU/msg)`)
    out.push(`  drained ${f(o.drainedPerSec, 0)} msg/s (${o.drained} delivered, ${f(o.drainCpuUsPerMsg)} us CPU/msg)`)
  }
  for (const [run, p] of Object.entries(r.profile?.runs ?? {})) {
    out.push('', `Profile, ${run} (server self time in the measured windows, ${f(p.busyMs, 0)} ms busy)`)
    for (const a of p.areas.slice(0, 8)) out.push(`  ${f(a.share * 100).padStart(5)}%  ${a.name}`)
    out.push('  top functions:')
    for (const fn of p.functions.slice(0, 10)) out.push(`  ${f(fn.share * 100).padStart(5)}%  ${fn.name}`)
  }
  for (const [name, why] of Object.entries(r.failures ?? {})) out.push('', `FAILED ${name}: ${why}`)
  if (r.targets.length > 0) {
    out.push('', 'Targets')
    for (const t of r.targets) out.push(`  ${t.met ? 'met   ' : 'MISSED'} ${t.name}: ${f(t.measured, 2)} (${t.limit})`)
  }
  return out.join('\n')
}
