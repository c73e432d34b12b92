import { hashRaw } from '@node-rs/argon2'
import { createHashThreads } from './hash-threads.js'

// @node-rs/argon2's Algorithm is a const enum, which isolated modules cannot import.
const ARGON2ID = 2

export interface Argon2Cost {
  memoryKib: number
  timeCost: number
  parallelism: number
  /** How many hashes may run at once: the rest wait, so a login storm cannot take every core. */
  maxConcurrent: number
  /** 'idle': the hashing threads run only when a core has nothing else to do. */
  priority: 'idle' | 'normal'
  /** The share of its time each hashing thread spends hashing: after a hash it rests in proportion. */
  dutyCycle: number
}

/** What one Argon2id derivation costs, whatever runs it. */
export type Argon2Params = Pick<Argon2Cost, 'memoryKib' | 'timeCost' | 'parallelism'>

/** @node-rs/argon2's options for Argon2id at `cost`. */
export function argon2idOptions (cost: Argon2Params) {
  return { algorithm: ARGON2ID, memoryCost: cost.memoryKib, timeCost: cost.timeCost, parallelism: cost.parallelism }
}

/**
 * Password hashing and verification, never on the event loop: on at most `maxConcurrent`
 * threads of their own (`hash-threads.ts`), at idle priority by default and hashing at most
 * `dutyCycle` of their time, so a login storm cannot take the relay's core. Call `close` when
 * done, to stop the threads.
 */
export function createPasswordHasher (cost: Argon2Cost) {
  const options = argon2idOptions(cost)
  const threads = createHashThreads(cost.maxConcurrent, cost.priority, cost.dutyCycle)
  const hash = async (password: string) => await threads.run('hash', [password, options]) as string
  /** True when `password` matches `encoded`; a malformed hash counts as no match. */
  const verify = async (encoded: string, password: string) => await threads.run('verify', [encoded, password]) as boolean
  // Verified against when a username is unknown, so that answer takes as long as a wrong password.
  const decoy = hash('quietwire-decoy-password')
  // Not awaited until the first unknown username; a failure shows there, not as an unhandled rejection.
  decoy.catch(() => {})

  return {
    hash,
    verify,
    /** Spends the time of one verification and answers false. */
    verifyDecoy: async (password: string) => {
      await verify(await decoy, password)
      return false
    },
    close: async () => { await threads.close() }
  }
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>

/**
 * A raw Argon2id key of `bytes` bytes from a passphrase and salt (encrypted backups derive their
 * key this way). Runs on libuv's thread pool: a backup is one derivation, not a storm.
 */
export async function deriveKeyArgon2id (passphrase: string, salt: Buffer, cost: Argon2Params, bytes = 32): Promise<Buffer> {
  return await hashRaw(passphrase, { ...argon2idOptions(cost), salt, outputLen: bytes })
}
