import t from 'tap'
import { statSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { matchTotp, totpCode, totpUri, base32, newTotpSecret, type TotpParams } from '../../plugins/auth/totp.js'
import { looksLikeRecoveryCode, newRecoveryCode } from '../../plugins/auth/recovery-codes.js'
import { loadServerKeys } from '../../plugins/auth/server-key.js'
import { secretboxOpen, secretboxSeal } from '../../plugins/crypto/sodium.js'
import { tempDir } from '../helper.js'

// RFC 6238 appendix B: the seeds are ASCII digits of each hash's natural key length.
const SEEDS = {
  SHA1: Buffer.from('12345678901234567890', 'ascii'),
  SHA256: Buffer.from('12345678901234567890123456789012', 'ascii'),
  SHA512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii')
}
const VECTORS: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826']
]

t.test('RFC 6238 test vectors (SHA1, SHA256, SHA512, 8 digits)', async (t) => {
  for (const [seconds, sha1, sha256, sha512] of VECTORS) {
    const at = seconds * 1000
    for (const [algorithm, expected] of [['SHA1', sha1], ['SHA256', sha256], ['SHA512', sha512]] as const) {
      const params: TotpParams = { algorithm, digits: 8, period: 30 }
      t.equal(totpCode(SEEDS[algorithm], at, params), expected, `${algorithm} at ${seconds}`)
      t.equal(matchTotp(SEEDS[algorithm], expected, at, null, params), Math.floor(seconds / 30), `${algorithm} verifies at ${seconds}`)
    }
  }
})

t.test('a code is accepted one step either side, not further, and never at or before the last step', async (t) => {
  const secret = newTotpSecret()
  t.equal(secret.length, 20, '160-bit secret')
  const at = 1_700_000_000_000
  const step = Math.floor(at / 30_000)
  t.equal(matchTotp(secret, totpCode(secret, at), at, null), step)
  t.equal(matchTotp(secret, totpCode(secret, at - 30_000), at, null), step - 1, 'previous step (slow typing)')
  t.equal(matchTotp(secret, totpCode(secret, at + 30_000), at, null), step + 1, 'next step (clock ahead)')
  t.equal(matchTotp(secret, totpCode(secret, at - 90_000), at, null), null, 'expired')
  t.equal(matchTotp(secret, totpCode(secret, at + 90_000), at, null), null, 'too far ahead')
  t.equal(matchTotp(secret, totpCode(secret, at), at, step), null, 'already used')
  t.equal(matchTotp(secret, totpCode(secret, at - 30_000), at, step), null, 'older than the last used')
  for (const bad of ['', '12345', '1234567', 'abcdef', '12 456', '１２３４５６']) {
    t.equal(matchTotp(secret, bad, at, null), null, `malformed ${JSON.stringify(bad)}`)
  }
  t.not(matchTotp(newTotpSecret(), totpCode(secret, at), at, null), step, 'another secret')
})

t.test('the otpauth URI names issuer, account and parameters', async (t) => {
  const secret = newTotpSecret()
  const uri = new URL(totpUri(secret, 'quietwire', 'alice'))
  t.equal(uri.protocol, 'otpauth:')
  t.equal(uri.host, 'totp')
  t.equal(decodeURIComponent(uri.pathname), '/quietwire:alice')
  t.equal(uri.searchParams.get('secret'), base32(secret))
  t.equal(uri.searchParams.get('issuer'), 'quietwire')
  t.equal(uri.searchParams.get('digits'), '6')
  t.equal(uri.searchParams.get('period'), '30')
})

t.test('recovery codes are 80-bit, readable and distinct from TOTP codes', async (t) => {
  const codes = new Set(Array.from({ length: 200 }, newRecoveryCode))
  t.equal(codes.size, 200)
  for (const code of codes) t.match(code, /^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/)
  const one = [...codes][0]!
  t.ok(looksLikeRecoveryCode(one.toUpperCase().replaceAll('-', ' ')), 'case and separators do not matter')
  t.notOk(looksLikeRecoveryCode('123456'))
})

t.test('the server key comes from TOTP_ENCRYPTION_KEY or a 0600 key file generated once', async (t) => {
  const dir = tempDir(t)
  const warnings: string[] = []
  const first = loadServerKeys({ DATA_DIR: dir }, (m) => warnings.push(m))
  t.match(warnings[0], /TOTP_ENCRYPTION_KEY not set/)
  const file = join(dir, 'totp-key')
  t.equal(statSync(file).mode & 0o777, 0o600)
  const again = loadServerKeys({ DATA_DIR: dir })
  t.same(again.totpSecret, first.totpSecret, 'the same file gives the same key after a restart')
  t.ok(readFileSync(file, 'utf8').length >= 43)

  const configured = loadServerKeys({ DATA_DIR: dir, TOTP_ENCRYPTION_KEY: 'x'.repeat(40) })
  t.not(configured.totpSecret.toString('hex'), first.totpSecret.toString('hex'))
  const sealed = secretboxSeal(Buffer.from('secret'), configured.totpSecret)
  t.same(secretboxOpen(sealed, configured.totpSecret), Buffer.from('secret'))
  t.equal(secretboxOpen(sealed, first.totpSecret), null, 'another key cannot open it')
  sealed[sealed.length - 1]! ^= 1
  t.equal(secretboxOpen(sealed, configured.totpSecret), null, 'tampering is detected')
  t.equal(secretboxOpen(Buffer.alloc(10), configured.totpSecret), null, 'too short')
})
