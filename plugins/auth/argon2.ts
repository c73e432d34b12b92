import { hash, hashRaw, verify } from '@node-rs/argon2'

// @node-rs/argon2's Algorithm is a const enum, which isolated modules cannot import.
const ARGON2ID = 2

export interface Argon2Cost {
  memoryKib: number
  timeCost: number
  parallelism: number
  /** How many hashes may run at once: the rest wait, so a login storm cannot take every core. */
  maxConcurrent: number
}

/**
 * The one module that imports @node-rs/argon2. Hashing runs on libuv's thread pool, never on the
 * event loop, and at most `maxConcurrent` at a time so the relay always keeps a core.
 */
export function createPasswordHasher (cost: Argon2Cost) {
  const options = { algorithm: ARGON2ID, memoryCost: cost.memoryKib, timeCost: cost.timeCost, parallelism: cost.parallelism }
  const limit = createLimiter(cost.maxConcurrent)
  // Verified against when a username is unknown, so that answer takes as long as a wrong password.
  const decoy = limit(() => hash('quietwire-decoy-password', options))

  return {
    hash: (password: string) => limit(() => hash(password, options)),
    /** True when `password` matches `encoded`; a malformed hash counts as no match. */
    verify: (encoded: string, password: string) => limit(() => verify(encoded, password).catch(() => false)),
    /** Spends the time of one verification and answers false. */
    verifyDecoy: async (password: string) => {
      const decoyHash = await decoy
      await limit(() => verify(decoyHash, password))
      return false
    }
  }
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>

/**
 * A raw Argon2id key of `bytes` bytes from a passphrase and salt (encrypted backups derive their
 * key this way). Runs on the thread pool like the password hashes.
 */
export async function deriveKeyArgon2id (passphrase: string, salt: Buffer, cost: { memoryKib: number, timeCost: number, parallelism: number }, bytes = 32): Promise<Buffer> {
  return await hashRaw(passphrase, { algorithm: ARGON2ID, salt, memoryCost: cost.memoryKib, timeCost: cost.timeCost, parallelism: cost.parallelism, outputLen: bytes })
}

function createLimiter (max: number) {
  let running = 0
  const waiting: Array<() => void> = []
  return async function run<T> (task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so none can be overtaken.
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve))
    else running++
    try {
      return await task()
    } finally {
      const next = waiting.shift()
      if (next !== undefined) next()
      else running--
    }
  }
}
