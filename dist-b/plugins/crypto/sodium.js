import sodium from 'sodium-native';
/**
 * The one module that imports sodium-native: every libsodium primitive the server uses, behind
 * plain functions on Buffers.
 */
/**
 * Whether `key` is a Curve25519 public key a client can agree a secret with: 32 bytes and not a
 * low-order point (those make every shared secret predictable).
 */
export function isUsableCurve25519Key(key) {
    if (key.length !== sodium.crypto_scalarmult_BYTES)
        return false;
    const scalar = Buffer.alloc(sodium.crypto_scalarmult_SCALARBYTES);
    sodium.randombytes_buf(scalar);
    const shared = Buffer.alloc(sodium.crypto_scalarmult_BYTES);
    try {
        sodium.crypto_scalarmult(shared, scalar, key);
        return !shared.every((b) => b === 0);
    }
    catch {
        return false;
    }
    finally {
        sodium.sodium_memzero(scalar);
    }
}
/** A 32-byte secret key derived from any secret text (BLAKE2b-256). */
export function deriveMasterKey(secret) {
    const key = Buffer.alloc(sodium.crypto_kdf_KEYBYTES);
    sodium.crypto_generichash(key, Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8'));
    return key;
}
/** A subkey of `master` for one purpose: `context` is exactly 8 characters, `id` numbers the key. */
export function deriveSubkey(master, id, context) {
    const subkey = Buffer.alloc(32);
    sodium.crypto_kdf_derive_from_key(subkey, id, Buffer.from(context, 'utf8'), master);
    return subkey;
}
/** XSalsa20-Poly1305 with a random nonce: returns nonce followed by ciphertext. */
export function secretboxSeal(plaintext, key) {
    const nonce = Buffer.alloc(sodium.crypto_secretbox_NONCEBYTES);
    sodium.randombytes_buf(nonce);
    const box = Buffer.alloc(plaintext.length + sodium.crypto_secretbox_MACBYTES);
    sodium.crypto_secretbox_easy(box, plaintext, nonce, key);
    return Buffer.concat([nonce, box]);
}
/** Opens what `secretboxSeal` made; null when it was tampered with or sealed under another key. */
export function secretboxOpen(sealed, key) {
    const nonceBytes = sodium.crypto_secretbox_NONCEBYTES;
    if (sealed.length < nonceBytes + sodium.crypto_secretbox_MACBYTES)
        return null;
    const box = sealed.subarray(nonceBytes);
    const plaintext = Buffer.alloc(box.length - sodium.crypto_secretbox_MACBYTES);
    return sodium.crypto_secretbox_open_easy(plaintext, box, sealed.subarray(0, nonceBytes), key) ? plaintext : null;
}
/** Keyed BLAKE2b-256 of `data`, base64url: a hash only the holder of `key` can compute. */
export function keyedHash(data, key) {
    const out = Buffer.alloc(32);
    sodium.crypto_generichash(out, data, key);
    return out.toString('base64url');
}
/** Whether `key` is an Ed25519 public key a signature can be checked against (a valid, non-small-order point). */
export function isUsableEd25519Key(key) {
    return key.length === sodium.crypto_sign_PUBLICKEYBYTES && sodium.crypto_core_ed25519_is_valid_point(key);
}
/** Whether `signature` is `publicKey`'s Ed25519 signature of `message`; malformed input is false. */
export function verifyEd25519(signature, message, publicKey) {
    if (signature.length !== sodium.crypto_sign_BYTES || publicKey.length !== sodium.crypto_sign_PUBLICKEYBYTES)
        return false;
    try {
        return sodium.crypto_sign_verify_detached(signature, message, publicKey);
    }
    catch {
        return false;
    }
}
const secretstream = sodium;
export const SECRETSTREAM_KEYBYTES = sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES;
export const SECRETSTREAM_HEADERBYTES = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES;
export const SECRETSTREAM_ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES;
/**
 * The writing side of a secretstream: `header` goes before the first chunk; each `push` returns
 * one authenticated chunk, and the chunk pushed with `final` marks the end, so a truncated
 * stream is detectable.
 */
export function secretstreamPush(key) {
    const state = sodium.sodium_malloc(secretstream.crypto_secretstream_xchacha20poly1305_STATEBYTES);
    const header = Buffer.alloc(SECRETSTREAM_HEADERBYTES);
    secretstream.crypto_secretstream_xchacha20poly1305_init_push(state, header, key);
    return {
        header,
        push(plaintext, final, ad = null) {
            const chunk = Buffer.alloc(plaintext.length + SECRETSTREAM_ABYTES);
            const tag = final ? secretstream.crypto_secretstream_xchacha20poly1305_TAG_FINAL : secretstream.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
            secretstream.crypto_secretstream_xchacha20poly1305_push(state, chunk, plaintext, ad, tag);
            return chunk;
        }
    };
}
/**
 * The reading side: `pull` returns the plaintext of one chunk and whether it was the final one,
 * or null when the chunk fails authentication (wrong key, altered or reordered bytes).
 */
export function secretstreamPull(key, header) {
    const state = sodium.sodium_malloc(secretstream.crypto_secretstream_xchacha20poly1305_STATEBYTES);
    secretstream.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key);
    return {
        pull(chunk, ad = null) {
            if (chunk.length < SECRETSTREAM_ABYTES)
                return null;
            const plaintext = Buffer.alloc(chunk.length - SECRETSTREAM_ABYTES);
            const tag = Buffer.alloc(1);
            try {
                secretstream.crypto_secretstream_xchacha20poly1305_pull(state, plaintext, tag, chunk, ad);
            }
            catch {
                return null;
            }
            return { plaintext, final: tag[0] === secretstream.crypto_secretstream_xchacha20poly1305_TAG_FINAL };
        }
    };
}
/** `bytes` random bytes from libsodium's generator. */
export function randomBytes(bytes) {
    const out = Buffer.alloc(bytes);
    sodium.randombytes_buf(out);
    return out;
}
/** Overwrites a buffer holding key material. */
export function wipe(buffer) {
    sodium.sodium_memzero(buffer);
}
//# sourceMappingURL=sodium.js.map