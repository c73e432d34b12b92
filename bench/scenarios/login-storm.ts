import { ConfigSchema } from '../../schemas/config.js'
import { createPasswordHasher } from '../../plugins/auth/argon2.js'
import type { Account } from '../accounts.js'
import { startLoginStorm, type StormCount } from '../login-clients.js'
import { median } from '../stats.js'
import { runLoad, type LoadResult, type Pair } from '../relay-load.js'
import type { BenchOptions } from '../options.js'

/** One storm: the relay at the fixed rate while clients sign in. */
export interface Storm {
  loginsPerSec: number
  loginErrors: number
  relay: LoadResult
}

/**
 * One 5 s window's p99 is set by its one or two longest pauses, and a run without a storm
 * sometimes holds the server's full collection of the storms' garbage, so a ratio taken storm by
 * storm against its neighbours swings with them (0.5x to 7x on one build). The figures are
 * medians instead: of the runs during storms, and of the runs without one between them.
 */
export interface StormResult {
  /** Median time of one Argon2id verification at the server's cost, measured in this process. */
  hashMs: number
  maxConcurrentHashes: number
  /** maxConcurrentHashes / hash time: the most logins/s the server's Argon2 allows. */
  boundLoginsPerSec: number
  /** The share of its time each hashing thread spends hashing (ARGON2_DUTY_CYCLE). */
  hashDutyCycle: number
  /** boundLoginsPerSec * hashDutyCycle: the most logins/s the server lets through. */
  pacedBoundLoginsPerSec: number
  /** Median over storms. */
  loginsPerSec: number
  /** loginsPerSec / boundLoginsPerSec. */
  ofBound: number
  /** loginsPerSec / pacedBoundLoginsPerSec. */
  ofPacedBound: number
  /** Summed over storms. */
  loginErrors: number
  /** Median p99 of the runs without a storm. */
  p99WithoutMs: number
  /** Median p99 of the runs during a storm. */
  p99DuringMs: number
  /** p99DuringMs / p99WithoutMs */
  p99Ratio: number
  storms: Storm[]
  /** One before the first storm and one after each. */
  withoutStorm: LoadResult[]
}

/** The server's Argon2 cost: the schema defaults, as `serverEnv` leaves them. */
function defaultCost () {
  const p = ConfigSchema.properties
  return {
    memoryKib: p.ARGON2_MEMORY_KIB.default as number,
    timeCost: p.ARGON2_TIME_COST.default as number,
    parallelism: p.ARGON2_PARALLELISM.default as number,
    maxConcurrent: p.ARGON2_MAX_CONCURRENT.default as number,
    dutyCycle: p.ARGON2_DUTY_CYCLE.default as number
  }
}

/** One verification's time with a core to itself, through our own hashing module at the server's cost. */
async function measureHash (cost: ReturnType<typeof defaultCost>): Promise<number> {
  const hasher = createPasswordHasher({ ...cost, maxConcurrent: 1, priority: 'normal', dutyCycle: 1 })
  try {
    const encoded = await hasher.hash('bench-password-for-timing')
    const times: number[] = []
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now()
      await hasher.verify(encoded, 'bench-password-for-timing')
      times.push(performance.now() - t0)
    }
    return median(times)
  } finally {
    await hasher.close()
  }
}

/**
 * `options.rounds` storms, each with logins as fast as `concurrency` clients can send them for
 * the storm's duration, between runs of the relay at the fixed rate without one.
 */
export async function runLoginStorm (pid: number, url: string, accounts: Account[], connectPairs: () => Promise<Pair[]>, closePairs: (p: Pair[]) => Promise<void>, options: BenchOptions): Promise<StormResult> {
  const cost = defaultCost()
  const hashMs = await measureHash(cost)
  const boundLoginsPerSec = cost.maxConcurrent * 1000 / hashMs
  const pacedBoundLoginsPerSec = boundLoginsPerSec * cost.dutyCycle
  const relayOptions = { pid, warmupMs: options.warmup * 1000, durationMs: options.stormDuration * 1000, ciphertextBytes: options.ciphertextBytes, rate: options.rate, window: 1000 }

  async function relay (): Promise<LoadResult> {
    const pairs = await connectPairs()
    try { return await runLoad(pairs, relayOptions) } finally { await closePairs(pairs) }
  }

  async function storm (): Promise<Storm> {
    const pairs = await connectPairs()
    const clients = await startLoginStorm({ url, accounts: accounts.map(({ username, password }) => ({ username, password })), concurrency: options.stormConcurrency, warmupMs: options.warmup * 1000 })
    let during: LoadResult
    let counted: StormCount
    try {
      during = await runLoad(pairs, relayOptions)
    } finally {
      counted = await clients.stop()
      await closePairs(pairs)
    }
    return { loginsPerSec: counted.logins * 1000 / counted.countedMs, loginErrors: counted.errors, relay: during }
  }

  const withoutStorm = [await relay()]
  const storms: Storm[] = []
  for (let i = 0; i < options.rounds; i++) {
    storms.push(await storm())
    withoutStorm.push(await relay())
  }
  const p99WithoutMs = median(withoutStorm.map((r) => r.p99Ms))
  const p99DuringMs = median(storms.map((s) => s.relay.p99Ms))
  const loginsPerSec = median(storms.map((s) => s.loginsPerSec))
  return {
    hashMs,
    maxConcurrentHashes: cost.maxConcurrent,
    boundLoginsPerSec,
    hashDutyCycle: cost.dutyCycle,
    pacedBoundLoginsPerSec,
    loginsPerSec,
    ofBound: loginsPerSec / boundLoginsPerSec,
    ofPacedBound: loginsPerSec / pacedBoundLoginsPerSec,
    loginErrors: storms.reduce((sum, s) => sum + s.loginErrors, 0),
    p99WithoutMs,
    p99DuringMs,
    p99Ratio: p99DuringMs / p99WithoutMs,
    storms,
    withoutStorm
  }
}
