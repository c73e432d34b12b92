import { createHistogram, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks'
import { envelopePool, nonceGenerator } from './envelope.js'
import { cpuMicros } from './proc.js'
import type { BenchClient, Outcome } from './clients/types.js'

export interface Pair { sender: BenchClient, receiver: BenchClient }

export interface LoadOptions {
  /** The server's pid, for its CPU time. */
  pid: number
  /** Measured time; a warm-up of `warmupMs` runs before it. */
  durationMs: number
  warmupMs: number
  ciphertextBytes: number
  /** Fixed rate in messages/s for all pairs together; absent: as fast as the window allows. */
  rate?: number
  /** Messages in flight per sender (max-throughput mode), or the cap beyond which a fixed-rate sender skips. */
  window: number
}

export interface LoadResult {
  /** Messages delivered per second inside the measured window. */
  msgsPerSec: number
  delivered: number
  /** Fixed rate only: messages not sent because the sender already had `window` in flight. */
  skipped: number
  errors: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  /** Server CPU time (user + system) per delivered message, in microseconds. */
  cpuUsPerMsg: number
  /** Server CPU use over the window, in cores (1 = one core fully busy). */
  serverCores: number
  /**
   * The load generator's own garbage collection pauses inside the window, in milliseconds: every
   * message in flight waits them out, whatever server is measured. (With socket.io-client, some
   * bench processes kept about 2 KB of every message past two scavenges and paused twice as long:
   * docs/BENCHMARK-LOG.md, "Since the 14:53 run".)
   */
  generatorGcMs: number
  /** The measured window on the monotonic clock in microseconds, which `--cpu-prof` timestamps use too. */
  startUs: number
  endUs: number
}

/** Now on the monotonic clock, in microseconds. */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n)

const DRAIN_MS = 5000

/**
 * Drives every pair for warm-up plus duration, then waits (bounded) for what is in flight.
 * Latency is from the moment a message was due (fixed rate: its slot in the schedule, so a
 * stalled server is not hidden by the generator waiting for it) to its arrival at the receiver.
 */
export async function runLoad (pairs: Pair[], options: LoadOptions): Promise<LoadResult> {
  const nextEnvelope = envelopePool(options.ciphertextBytes)
  const nextNonce = nonceGenerator()
  const sentAt = new Map<string, number>()
  const histogram = createHistogram()
  let measuring = false
  let stopping = false
  let delivered = 0
  let errors = 0
  let skipped = 0

  for (const { receiver } of pairs) {
    receiver.onDelivery = ({ nonce }) => {
      const t = sentAt.get(nonce)
      if (t === undefined) return
      sentAt.delete(nonce)
      if (measuring) {
        delivered++
        histogram.record(Math.max(1, Math.round((performance.now() - t) * 1000)))
      }
    }
  }

  function send (pair: Pair, due: number, onDone?: () => void) {
    const nonce = nextNonce()
    sentAt.set(nonce, due)
    pair.sender.send(pair.receiver.userId, nextEnvelope(), nonce, (outcome: Outcome) => {
      if (outcome.startsWith('error:')) { errors++; sentAt.delete(nonce) }
      onDone?.()
    })
  }

  const start = performance.now()
  const stopTimer = driver()
  await sleep(options.warmupMs)
  let generatorGcMs = 0
  const addPauses = (entries: PerformanceEntry[]) => { for (const entry of entries) generatorGcMs += entry.duration }
  const collections = new PerformanceObserver((list) => { addPauses(list.getEntries()) })
  const cpu0 = cpuMicros(options.pid)
  const t0 = performance.now()
  const startUs = monotonicUs()
  measuring = true
  collections.observe({ entryTypes: ['gc'] })
  await sleep(options.durationMs)
  measuring = false
  // Entries are delivered a turn late: the window's last ones are taken here.
  addPauses(collections.takeRecords())
  collections.disconnect()
  const cpu1 = cpuMicros(options.pid)
  const windowMs = performance.now() - t0
  const endUs = monotonicUs()
  const measured = delivered
  stopping = true
  stopTimer()
  const drainDeadline = performance.now() + DRAIN_MS
  while (pairs.some((p) => p.sender.inFlight > 0) && performance.now() < drainDeadline) await sleep(20)

  const ms = (p: number) => histogram.count === 0 ? NaN : histogram.percentile(p) / 1000
  return {
    msgsPerSec: measured * 1000 / windowMs,
    delivered: measured,
    skipped,
    errors,
    p50Ms: ms(50),
    p95Ms: ms(95),
    p99Ms: ms(99),
    cpuUsPerMsg: measured === 0 ? NaN : (cpu1 - cpu0) / measured,
    serverCores: (cpu1 - cpu0) / 1000 / windowMs,
    generatorGcMs,
    startUs,
    endUs
  }

  /** Starts sending; returns a function that stops scheduling new messages. */
  function driver (): () => void {
    if (options.rate === undefined) {
      const loop = (pair: Pair) => { if (!stopping) send(pair, performance.now(), () => loop(pair)) }
      for (const pair of pairs) for (let i = 0; i < options.window; i++) loop(pair)
      return () => {}
    }
    const interval = 1000 / options.rate
    let slot = 0
    const timer = setInterval(() => {
      const now = performance.now()
      // Every slot that has come due since the last tick, round-robin over the pairs.
      for (; start + slot * interval <= now; slot++) {
        const pair = pairs[slot % pairs.length]
        if (pair.sender.inFlight >= options.window) { if (measuring) skipped++; continue }
        send(pair, start + slot * interval)
      }
    }, 1)
    return () => clearInterval(timer)
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
