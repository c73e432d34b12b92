import { Secret, TOTP } from 'otpauth'

/** RFC 6238 parameters. Authenticator apps all understand the defaults: SHA-1, 6 digits, 30 s. */
export interface TotpParams {
  algorithm: 'SHA1' | 'SHA256' | 'SHA512'
  digits: number
  period: number
}

export const TOTP_DEFAULTS: TotpParams = { algorithm: 'SHA1', digits: 6, period: 30 }

/** Steps either side of now that still count, for clocks a little off and codes typed slowly. */
const WINDOW = 1

/** A new random 160-bit secret (RFC 4226's recommended length). */
export function newTotpSecret (): Buffer {
  return Buffer.from(new Secret({ size: 20 }).bytes)
}

/** The base32 form authenticator apps accept for manual entry. */
export function base32 (secret: Buffer): string {
  return new Secret({ buffer: toArrayBuffer(secret) }).base32
}

/** The `otpauth://totp/...` URI a QR code carries. */
export function totpUri (secret: Buffer, issuer: string, label: string, params: TotpParams = TOTP_DEFAULTS): string {
  return totpFor(secret, params, issuer, label).toString()
}

/** The code for the time `at` (ms). */
export function totpCode (secret: Buffer, at: number, params: TotpParams = TOTP_DEFAULTS): string {
  return totpFor(secret, params).generate({ timestamp: at })
}

/**
 * The time step `code` belongs to, when it is valid at `at` within the window and later than
 * `lastStep` (a code already accepted, or one older than it, is refused); otherwise null.
 */
export function matchTotp (secret: Buffer, code: string, at: number, lastStep: number | null, params: TotpParams = TOTP_DEFAULTS): number | null {
  if (code.length !== params.digits || !/^[0-9]+$/.test(code)) return null
  const delta = totpFor(secret, params).validate({ token: code, timestamp: at, window: WINDOW })
  if (delta === null) return null
  const step = Math.floor(at / 1000 / params.period) + delta
  return lastStep !== null && step <= lastStep ? null : step
}

function totpFor (secret: Buffer, params: TotpParams, issuer = '', label = 'quietwire') {
  return new TOTP({ issuer, label, secret: new Secret({ buffer: toArrayBuffer(secret) }), ...params })
}

function toArrayBuffer (bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}
