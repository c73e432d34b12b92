import { createHistogram, type RecordableHistogram } from 'node:perf_hooks'
import { connectNative } from '../clients/native.js'
import { connectSocketIo } from '../clients/socketio.js'
import type { BenchClient } from '../clients/types.js'
import type { Account } from '../accounts.js'
import { latencyOf, runLoad, type Latency, type LoadResult, type Pair } from '../relay-load.js'
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
  /**
   * Latency over the messages of every round together. One round's p99 is decided by the one or
   * two stalls of the whole machine in its window (BENCHMARKS.md), so a ratio of two rounds' p99
   * swings from a fraction to several times; over all rounds, each side sees several.
   */
  pooled: Latency
  /** pooled / the ceiling's pooled; absent for the ceiling. */
  pooledRatio?: Omit<Latency, 'count'>
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
 * Rounds of: every target in max-throughput mode, then every target at the fixed rate. The order
 * of targets flips each round, so drift (thermal, other load on the machine) falls on both sides.
 */
export async function runRelayComparison (targets: RelayTarget[], options: BenchOptions, log: (line: string) => void) {
  const results: Record<string, Record<Mode, LoadResult[]>> = {}
  const pools: Record<string, Record<Mode, RecordableHistogram>> = {}
  for (const t of targets) {
    results[t.name] = { max: [], fixed: [] }
    pools[t.name] = { max: createHistogram(), fixed: createHistogram() }
  }
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse()
    for (const mode of ['max', 'fixed'] as const) {
      for (const target of order) {
        const pairs = await target.connectPairs()
        try {
          const result = await runLoad(pairs, {
            pid: target.pid,
            durationMs: options.duration * 1000,
            warmupMs: options.warmup * 1000,
            ciphertextBytes: options.ciphertextBytes,
            window: mode === 'max' ? options.window : 1000,
            pool: pools[target.name][mode],
            ...(mode === 'fixed' ? { rate: options.rate } : {})
          })
          results[target.name][mode].push(result)
          log(`round ${round + 1} ${mode.padEnd(5)} ${target.name.padEnd(8)} ${result.msgsPerSec.toFixed(0)} msg/s  p99 ${result.p99Ms.toFixed(2)} ms  ${result.cpuUsPerMsg.toFixed(1)} us CPU/msg${result.errors > 0 ? `  ${result.errors} errors` : ''}`)
        } finally {
          await closePairs(pairs)
        }
      }
    }
  }
  const figures: Record<string, Record<Mode, RelayFigures>> = {}
  for (const t of targets) {
    // The ceiling is not a ratio of itself.
    const base = (mode: Mode) => t.name === 'ceiling' || results.ceiling === undefined ? undefined : { rounds: results.ceiling[mode], pool: pools.ceiling[mode] }
    figures[t.name] = {
      max: summarize({ rounds: results[t.name].max, pool: pools[t.name].max }, base('max')),
      fixed: summarize({ rounds: results[t.name].fixed, pool: pools[t.name].fixed }, base('fixed'))
    }
  }
  return figures
}

/** The rounds of one target in one mode, and their latencies pooled. */
interface Runs { rounds: LoadResult[], pool: RecordableHistogram }

function summarize ({ rounds, pool }: Runs, ceiling?: Runs): RelayFigures {
  const keys = (Object.keys(rounds[0] ?? {}) as Array<keyof LoadResult>).filter((k) => k !== 'startUs' && k !== 'endUs')
  const med = Object.fromEntries(keys.map((k) => [k, median(rounds.map((r) => r[k]))])) as unknown as LoadResult
  const pooled = latencyOf(pool)
  if (ceiling === undefined) return { median: med, pooled, rounds }
  const ratioKeys: Array<keyof LoadResult> = ['msgsPerSec', 'p50Ms', 'p95Ms', 'p99Ms', 'cpuUsPerMsg']
  const ratio = Object.fromEntries(ratioKeys.map((k) => [k, median(rounds.map((r, i) => r[k] / ceiling.rounds[i][k]))]))
  const base = latencyOf(ceiling.pool)
  const pooledRatio = { p50Ms: pooled.p50Ms / base.p50Ms, p95Ms: pooled.p95Ms / base.p95Ms, p99Ms: pooled.p99Ms / base.p99Ms }
  return { median: med, ratio, pooled, pooledRatio, rounds }
}
