import { connectNative } from '../clients/native.js'
import { connectSocketIo } from '../clients/socketio.js'
import type { BenchClient } from '../clients/types.js'
import type { Account } from '../accounts.js'
import { runLoad, type LoadResult, type Pair } from '../relay-load.js'
import type { BenchOptions } from '../options.js'
import { median } from '../stats.js'

/** A relay under test: how to reach it and how its clients connect. */
export interface RelayTarget {
  name: 'ceiling' | 'native' | 'socketio'
  pid: number
  connectPairs: () => Promise<Pair[]>
}

export type Mode = 'max' | 'fixed'

export interface RelayFigures {
  /** Median over rounds of each figure. */
  median: LoadResult
  /** Median over rounds of (ours / ceiling in the same round); absent for the ceiling. */
  ratio?: Partial<Record<keyof LoadResult, number>>
  rounds: LoadResult[]
}

/** Opens every pair's two connections, `concurrency` at a time. */
export async function openPairs (count: number, connect: (i: number, role: 'sender' | 'receiver') => Promise<BenchClient>): Promise<Pair[]> {
  const pairs: Pair[] = []
  for (let i = 0; i < count; i += 10) {
    const batch = await Promise.all(Array.from({ length: Math.min(10, count - i) }, async (_, j) => ({
      receiver: await connect(i + j, 'receiver'),
      sender: await connect(i + j, 'sender')
    })))
    pairs.push(...batch)
  }
  return pairs
}

export async function closePairs (pairs: Pair[]) {
  await Promise.all(pairs.flatMap((p) => [p.sender.close(), p.receiver.close()]))
}

export function ceilingTarget (pid: number, url: string, count: number): RelayTarget {
  return {
    name: 'ceiling',
    pid,
    connectPairs: async () => await openPairs(count, async (i, role) => await connectNative({ url, userId: `${role}${i}` }))
  }
}

/** Our server through one transport; senders are accounts[2i], receivers accounts[2i + 1]. */
export function quietwireTarget (name: 'native' | 'socketio', pid: number, url: string, accounts: Account[]): RelayTarget {
  const connect = name === 'native' ? connectNative : connectSocketIo
  return {
    name,
    pid,
    connectPairs: async () => await openPairs(accounts.length / 2, async (i, role) => {
      const account = accounts[2 * i + (role === 'sender' ? 0 : 1)]
      return await connect({ url, userId: account.id, token: account.token })
    })
  }
}

/**
 * Lets only `target`'s server run: the others are stopped (SIGSTOP) until their turn. A server
 * between its runs is idle, not quiet: V8's memory reducer ran a full collection in both of ours
 * about 105 s after they started, whatever was being measured then, and on two cores that took
 * its time from the run in progress (the ceiling's, in the third round; docs/BENCHMARK-LOG.md,
 * "Since the 12:04 run").
 * Stopped, each server does its deferred work in its own warm-up or window, where it belongs.
 */
function runOnly (target: RelayTarget, targets: RelayTarget[]) {
  for (const other of targets) if (other.pid !== target.pid) process.kill(other.pid, 'SIGSTOP')
  process.kill(target.pid, 'SIGCONT')
}

function resumeAll (targets: RelayTarget[]) {
  for (const target of targets) process.kill(target.pid, 'SIGCONT')
}

/**
 * The order of the targets in round `round`: the rotations of the list, then the rotations of the
 * list reversed. A run's p99 depends on where it falls in its round (the first fixed-rate run,
 * right after the max-throughput ones, had the highest: docs/BENCHMARK-LOG.md), so over 2n rounds
 * each of n targets takes every place twice, and each follows each other one equally often.
 */
export function roundOrder<T> (targets: T[], round: number): T[] {
  const n = targets.length
  const base = Math.floor(round / n) % 2 === 0 ? targets : [...targets].reverse()
  const shift = round % n
  return [...base.slice(shift), ...base.slice(0, shift)]
}

/**
 * Rounds of: every target in max-throughput mode, then every target at the fixed rate, in the
 * order of roundOrder. Only the target being measured runs (runOnly).
 */
export async function runRelayComparison (targets: RelayTarget[], options: BenchOptions, log: (line: string) => void) {
  try {
    return await compare(targets, options, log)
  } finally {
    resumeAll(targets)
  }
}

async function compare (targets: RelayTarget[], options: BenchOptions, log: (line: string) => void) {
  const results: Record<string, Record<Mode, LoadResult[]>> = {}
  for (const t of targets) results[t.name] = { max: [], fixed: [] }
  for (let round = 0; round < options.rounds; round++) {
    const order = roundOrder(targets, round)
    for (const mode of ['max', 'fixed'] as const) {
      for (const target of order) {
        runOnly(target, targets)
        const pairs = await target.connectPairs()
        try {
          const result = await runLoad(pairs, {
            pid: target.pid,
            durationMs: options.duration * 1000,
            warmupMs: options.warmup * 1000,
            ciphertextBytes: options.ciphertextBytes,
            window: mode === 'max' ? options.window : 1000,
            ...(mode === 'fixed' ? { rate: options.rate } : {})
          })
          results[target.name][mode].push(result)
          log(`round ${round + 1} ${mode.padEnd(5)} ${target.name.padEnd(8)} ${result.msgsPerSec.toFixed(0)} msg/s  p99 ${result.p99Ms.toFixed(2)} ms  ${result.cpuUsPerMsg.toFixed(1)} us CPU/msg  generator GC ${result.generatorGcMs.toFixed(1)} ms${result.errors > 0 ? `  ${result.errors} errors` : ''}`)
        } finally {
          await closePairs(pairs)
        }
      }
    }
  }
  const figures: Record<string, Record<Mode, RelayFigures>> = {}
  for (const t of targets) {
    figures[t.name] = { max: summarize(results[t.name].max, results.ceiling?.max), fixed: summarize(results[t.name].fixed, results.ceiling?.fixed) }
    if (t.name === 'ceiling') { delete figures[t.name].max.ratio; delete figures[t.name].fixed.ratio }
  }
  return figures
}

function summarize (rounds: LoadResult[], ceiling: LoadResult[] | undefined): RelayFigures {
  const keys = (Object.keys(rounds[0] ?? {}) as Array<keyof LoadResult>).filter((k) => k !== 'startUs' && k !== 'endUs')
  const med = Object.fromEntries(keys.map((k) => [k, median(rounds.map((r) => r[k]))])) as unknown as LoadResult
  if (ceiling === undefined) return { median: med, rounds }
  const ratioKeys: Array<keyof LoadResult> = ['msgsPerSec', 'p50Ms', 'p95Ms', 'p99Ms', 'cpuUsPerMsg']
  const ratio = Object.fromEntries(ratioKeys.map((k) => [k, median(rounds.map((r, i) => r[k] / ceiling[i][k]))]))
  return { median: med, ratio, rounds }
}
