import sodium from 'sodium-native'

/**
 * The one module that imports sodium-native: every libsodium primitive the server uses, behind
 * plain functions on Buffers.
 */

/**
 * Whether `key` is a Curve25519 public key a client can agree a secret with: 32 bytes and not a
 * low-order point (those make every shared secret predictable).
 */
export function isUsableCurve25519Key (key: Buffer): boolean {
  if (key.length !== sodium.crypto_scalarmult_BYTES) return false
  const scalar = Buffer.alloc(sodium.crypto_scalarmult_SCALARBYTES)
  sodium.randombytes_buf(scalar)
  const shared = Buffer.alloc(sodium.crypto_scalarmult_BYTES)
  try {
    sodium.crypto_scalarmult(shared, scalar, key)
    return !shared.every((b) => b === 0)
  } catch {
    return false
  } finally {
    sodium.sodium_memzero(scalar)
  }
}
