import { Secret, TOTP } from 'otpauth';
export const TOTP_DEFAULTS = { algorithm: 'SHA1', digits: 6, period: 30 };
/** Steps either side of now that still count, for clocks a little off and codes typed slowly. */
const WINDOW = 1;
/** A new random 160-bit secret (RFC 4226's recommended length). */
export function newTotpSecret() {
    return Buffer.from(new Secret({ size: 20 }).bytes);
}
/** The base32 form authenticator apps accept for manual entry. */
export function base32(secret) {
    return new Secret({ buffer: toArrayBuffer(secret) }).base32;
}
/** The `otpauth://totp/...` URI a QR code carries. */
export function totpUri(secret, issuer, label, params = TOTP_DEFAULTS) {
    return totpFor(secret, params, issuer, label).toString();
}
/** The code for the time `at` (ms). */
export function totpCode(secret, at, params = TOTP_DEFAULTS) {
    return totpFor(secret, params).generate({ timestamp: at });
}
/**
 * The time step `code` belongs to, when it is valid at `at` within the window and later than
 * `lastStep` (a code already accepted, or one older than it, is refused); otherwise null.
 */
export function matchTotp(secret, code, at, lastStep, params = TOTP_DEFAULTS) {
    if (code.length !== params.digits || !/^[0-9]+$/.test(code))
        return null;
    const delta = totpFor(secret, params).validate({ token: code, timestamp: at, window: WINDOW });
    if (delta === null)
        return null;
    const step = Math.floor(at / 1000 / params.period) + delta;
    return lastStep !== null && step <= lastStep ? null : step;
}
function totpFor(secret, params, issuer = '', label = 'quietwire') {
    return new TOTP({ issuer, label, secret: new Secret({ buffer: toArrayBuffer(secret) }), ...params });
}
function toArrayBuffer(bytes) {
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}
//# sourceMappingURL=totp.js.map