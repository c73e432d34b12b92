import { AppError } from '../errors.js';
import { isUsableCurve25519Key, isUsableEd25519Key } from '../crypto/sodium.js';
/** Checks a base64 Curve25519 public key (for E2EE); throws invalid_public_key naming the rule. */
export function decodePublicKey(publicKey) {
    const bytes = Buffer.from(publicKey, 'base64');
    if (bytes.toString('base64') !== publicKey || !isUsableCurve25519Key(bytes)) {
        throw new AppError('invalid_public_key', 'publicKey must be a base64 Curve25519 public key of 32 bytes');
    }
    return publicKey;
}
/** Checks a base64 Ed25519 public key (for key-pair login); throws invalid_signing_key. */
export function decodeSigningKey(signingKey) {
    const bytes = Buffer.from(signingKey, 'base64');
    if (bytes.toString('base64') !== signingKey || !isUsableEd25519Key(bytes)) {
        throw new AppError('invalid_signing_key', 'signingKey must be a base64 Ed25519 public key of 32 bytes (a valid curve point)');
    }
    return signingKey;
}
//# sourceMappingURL=keys.js.map