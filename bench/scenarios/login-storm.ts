import { ConfigSchema } from '../../schemas/config.js'
import { createPasswordHasher } from '../../plugins/auth/argon2.js'
import type { Account } from '../accounts.js'
import { startLoginStorm, type StormCount } from '../login-clients.js'
import { median } from '../stats.js'
import { runLoad, type LoadResult, type Pair } from '../relay-load.js'
import type { BenchOptions } from '../options.js'

/** One round: the relay at the fixed rate before, during and after a storm. */
export interface StormRound {
  loginsPerSec: number
  loginErrors: number
  relayBefore: LoadResult
  relayDuringStorm: LoadResult
  relayAfter: LoadResult
  /** Mean p99 of the runs before and after the storm. */
  baseP99Ms: number
  /** relayDuringStorm.p99Ms / baseP99Ms */
  p99Ratio: number
}

export interface StormResult extends StormRound {
  /** Median time of one Argon2id verification at the server's cost, measured in this process. */
  hashMs: number
  maxConcurrentHashes: number
  /** maxConcurrentHashes / hash time: the most logins/s the server's Argon2 allows. */
  boundLoginsPerSec: number
  /** loginsPerSec / boundLoginsPerSec. */
  ofBound: number
  /**
   * Every round; the figures above are the median round's (by p99Ratio; the lower middle one
   * for an even count), except loginErrors, the sum. One 5 s window's p99 is set by its one or
   * two longest pauses, so a single round is as much chance as measurement: the relay figures
   * are medians of rounds too.
   */
  rounds: StormRound[]
}

/** The server's Argon2 cost: the schema defaults, as `serverEnv` leaves them. */
function defaultCost () {
  const p = ConfigSchema.properties
  return {
    memoryKib: p.ARGON2_MEMORY_KIB.default as number,
    timeCost: p.ARGON2_TIME_COST.default as number,
    parallelism: p.ARGON2_PARALLELISM.default as number,
    maxConcurrent: p.ARGON2_MAX_CONCURRENT.default as number
  }
}

/** One verification's time with a core to itself, through our own hashing module at the server's cost. */
async function measureHash (cost: ReturnType<typeof defaultCost>): Promise<number> {
  const hasher = createPasswordHasher({ ...cost, maxConcurrent: 1, priority: 'normal' })
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
 * `options.rounds` rounds of: the relay at the fixed rate without a storm, then with logins as
 * fast as `concurrency` clients can send them for the storm's duration, then without again.
 */
export async function runLoginStorm (pid: number, url: string, accounts: Account[], connectPairs: () => Promise<Pair[]>, closePairs: (p: Pair[]) => Promise<void>, options: BenchOptions): Promise<StormResult> {
  const cost = defaultCost()
  const hashMs = await measureHash(cost)
  const boundLoginsPerSec = cost.maxConcurrent * 1000 / hashMs
  const relayOptions = { pid, warmupMs: options.warmup * 1000, durationMs: options.stormDuration * 1000, ciphertextBytes: options.ciphertextBytes, rate: options.rate, window: 1000 }

  async function relay (): Promise<LoadResult> {
    const pairs = await connectPairs()
    try { return await runLoad(pairs, relayOptions) } finally { await closePairs(pairs) }
  }

  async function round (): Promise<StormRound> {
    const before = await relay()
    const pairs = await connectPairs()
    const storm = startLoginStorm({ url, accounts: accounts.map(({ username, password }) => ({ username, password })), concurrency: options.stormConcurrency, warmupMs: options.warmup * 1000 })
    let during: LoadResult
    let counted: StormCount
    try {
      during = await runLoad(pairs, relayOptions)
    } finally {
      counted = await storm.stop()
      await closePairs(pairs)
    }
    const after = await relay()
    const baseP99Ms = (before.p99Ms + after.p99Ms) / 2
    return {
      loginsPerSec: counted.logins * 1000 / counted.countedMs,
      loginErrors: counted.errors,
      relayBefore: before,
      relayDuringStorm: during,
      relayAfter: after,
      baseP99Ms,
      p99Ratio: during.p99Ms / baseP99Ms
    }
  }

  const rounds: StormRound[] = []
  for (let i = 0; i < options.rounds; i++) rounds.push(await round())
  // The median round (the lower of the two middle ones for an even count), so its figures agree.
  const middle = [...rounds].sort((a, b) => a.p99Ratio - b.p99Ratio)[(rounds.length - 1) >> 1]
  return {
    ...middle,
    loginErrors: rounds.reduce((sum, r) => sum + r.loginErrors, 0),
    hashMs,
    maxConcurrentHashes: cost.maxConcurrent,
    boundLoginsPerSec,
    ofBound: middle.loginsPerSec / boundLoginsPerSec,
    rounds
  }
}
