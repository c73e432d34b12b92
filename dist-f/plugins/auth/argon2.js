import { hashRaw } from '@node-rs/argon2';
import { createHashThreads } from './hash-threads.js';
// @node-rs/argon2's Algorithm is a const enum, which isolated modules cannot import.
const ARGON2ID = 2;
/**
 * Password hashing and verification, never on the event loop: on at most `maxConcurrent`
 * threads of their own (`hash-threads.ts`), at idle priority by default, so a login storm cannot
 * delay the relay. Call `close` when done, to stop the threads.
 */
export function createPasswordHasher(cost) {
    const options = { algorithm: ARGON2ID, memoryCost: cost.memoryKib, timeCost: cost.timeCost, parallelism: cost.parallelism };
    const threads = createHashThreads(cost.maxConcurrent, cost.priority);
    const hash = async (password) => await threads.run('hash', [password, options]);
    /** True when `password` matches `encoded`; a malformed hash counts as no match. */
    const verify = async (encoded, password) => await threads.run('verify', [encoded, password]);
    // Verified against when a username is unknown, so that answer takes as long as a wrong password.
    const decoy = hash('quietwire-decoy-password');
    // Not awaited until the first unknown username; a failure shows there, not as an unhandled rejection.
    decoy.catch(() => { });
    return {
        hash,
        verify,
        /** Spends the time of one verification and answers false. */
        verifyDecoy: async (password) => {
            await verify(await decoy, password);
            return false;
        },
        close: async () => { await threads.close(); }
    };
}
/**
 * A raw Argon2id key of `bytes` bytes from a passphrase and salt (encrypted backups derive their
 * key this way). Runs on libuv's thread pool: a backup is one derivation, not a storm.
 */
export async function deriveKeyArgon2id(passphrase, salt, cost, bytes = 32) {
    return await hashRaw(passphrase, { algorithm: ARGON2ID, salt, memoryCost: cost.memoryKib, timeCost: cost.timeCost, parallelism: cost.parallelism, outputLen: bytes });
}
//# sourceMappingURL=argon2.js.map