import t from 'tap'
import { readFileSync } from 'node:fs'
import { Secret } from 'otpauth'
import { build, registerUser, signedInUser, bearer } from '../helper.js'
import { appCode, enableTwoFactor, loginReply } from './support.js'

type App = Awaited<ReturnType<typeof build>>['app']
const post = (app: App, url: string, token: string, payload?: unknown) =>
  app.inject({ method: 'POST', url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) })

t.test('setup, enable with a code, and the secret never stored in the clear', async (t) => {
  const { app, dataDir } = await build(t)
  const user = await signedInUser(app, 'totp_alice')
  const status = await app.inject({ url: '/api/me/2fa', headers: bearer(user.token) })
  t.same(status.json(), { enabled: false, recoveryCodesLeft: 0 })

  const setup = await post(app, '/api/me/2fa/setup', user.token)
  t.equal(setup.statusCode, 200)
  const { secret, uri } = setup.json()
  t.match(secret, /^[A-Z2-7]{32}$/)
  t.match(uri, /^otpauth:\/\/totp\/quietwire:totp_alice\?/)
  t.equal((await app.inject({ url: '/api/me/2fa', headers: bearer(user.token) })).json().enabled, false, 'setup alone does not turn it on')

  const wrong = await post(app, '/api/me/2fa/enable', user.token, { code: '000000' === appCode(secret) ? '111111' : '000000', password: user.password })
  t.equal(wrong.statusCode, 401)
  t.equal(wrong.json().code, 'totp_invalid')
  const noPassword = await post(app, '/api/me/2fa/enable', user.token, { code: appCode(secret) })
  t.equal(noPassword.statusCode, 400, 'the password is required: a stolen token alone cannot turn 2FA on')
  t.match(noPassword.json().message, /password/)
  const wrongPassword = await post(app, '/api/me/2fa/enable', user.token, { code: appCode(secret), password: 'not the password at all' })
  t.equal(wrongPassword.json().code, 'invalid_credentials')

  const enable = await post(app, '/api/me/2fa/enable', user.token, { code: appCode(secret), password: user.password })
  t.equal(enable.statusCode, 200)
  const { recoveryCodes } = enable.json()
  t.equal(recoveryCodes.length, 10)
  t.same((await app.inject({ url: '/api/me/2fa', headers: bearer(user.token) })).json(), { enabled: true, recoveryCodesLeft: 10 })
  t.equal((await post(app, '/api/me/2fa/setup', user.token)).json().code, 'two_factor_already_enabled')
  t.equal((await post(app, '/api/me/2fa/enable', user.token, { code: appCode(secret), password: user.password })).json().code, 'two_factor_already_enabled')

  const row = await app.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow()
  t.equal(row.two_factor_enabled, 1)
  t.equal(row.totp_pending_secret, null)
  const raw = Buffer.from(row.totp_secret!, 'base64')
  t.ok(raw.length >= 24 + 16 + 20, 'nonce, MAC and ciphertext')
  const hashes = await app.db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', user.id).execute()
  t.equal(hashes.length, 10)

  // The whole database file and its WAL: neither the secret nor a recovery code appears in any form.
  await app.close()
  const bytes = Buffer.concat(['quietwire.db', 'quietwire.db-wal'].map((f) => { try { return readFileSync(`${dataDir}/${f}`) } catch { return Buffer.alloc(0) } }))
  const secretBytes = Buffer.from(Secret.fromBase32(secret).bytes)
  t.equal(secretBytes.length, 20)
  for (const needle of [Buffer.from(secret), secretBytes, Buffer.from(secretBytes.toString('base64')), Buffer.from(secretBytes.toString('hex'))]) {
    t.equal(bytes.indexOf(needle), -1, 'secret not in the database')
  }
  for (const code of recoveryCodes) {
    t.equal(bytes.indexOf(Buffer.from(code)), -1, 'recovery code not in the database')
    t.equal(bytes.indexOf(Buffer.from(code.replaceAll('-', ''))), -1)
  }
})

t.test('with 2FA on, login needs a fresh code; wrong, expired and reused codes are refused', async (t) => {
  const { app } = await build(t, { env: { LOCKOUT_MAX_ATTEMPTS: '50' } })
  const user = await signedInUser(app)
  const { secret } = await enableTwoFactor(app, user.token, user.password)
  const creds = { username: user.username, password: user.password }

  const missing = await loginReply(app, creds)
  t.equal(missing.statusCode, 401)
  t.equal(missing.json().code, 'totp_required')
  const wrongPassword = await loginReply(app, { ...creds, password: 'not the password at all', totp: appCode(secret) })
  t.equal(wrongPassword.json().code, 'invalid_credentials', 'the password is checked first; the code is not consumed')

  const code = appCode(secret)
  const ok = await loginReply(app, { ...creds, totp: code })
  t.equal(ok.statusCode, 200)
  t.ok(ok.json().token)
  const reused = await loginReply(app, { ...creds, totp: code })
  t.equal(reused.statusCode, 401)
  t.equal(reused.json().code, 'totp_invalid', 'a used code cannot be used twice')
  const older = await loginReply(app, { ...creds, totp: appCode(secret, Date.now() - 30_000) })
  t.equal(older.json().code, 'totp_invalid', 'a code older than the last used is refused')
  const expired = await loginReply(app, { ...creds, totp: appCode(secret, Date.now() - 5 * 60_000) })
  t.equal(expired.json().code, 'totp_invalid', 'an expired code is refused')
  for (const bad of ['12345', 'abcdef', ' ', '0'.repeat(64)]) {
    const res = await loginReply(app, { ...creds, totp: bad })
    t.equal(res.json().code, 'totp_invalid', `malformed ${JSON.stringify(bad)}`)
  }
  for (const bad of [123456, '', 'x'.repeat(65), null]) {
    const res = await loginReply(app, { ...creds, totp: bad })
    t.equal(res.statusCode, 400, `schema refuses ${JSON.stringify(bad)}`)
    t.match(res.json().message, /totp/)
  }

  const events = await app.db.selectFrom('security_events').select(['event_type', 'event_data']).where('user_id', '=', user.id).execute()
  t.ok(events.some((e) => e.event_type === 'two_factor_enabled'))
  t.ok(events.some((e) => e.event_type === 'login_failure' && e.event_data.includes('totp_required')))
  t.ok(events.some((e) => e.event_type === 'login_failure' && e.event_data.includes('totp_invalid')))
  t.ok(events.some((e) => e.event_type === 'login_success' && e.event_data.includes('"secondFactor":"totp"')))
})

t.test('missing and wrong codes count toward the lockout', async (t) => {
  const { app } = await build(t, { env: { LOCKOUT_MAX_ATTEMPTS: '3' } })
  const user = await signedInUser(app)
  const { secret } = await enableTwoFactor(app, user.token, user.password)
  const creds = { username: user.username, password: user.password }
  t.equal((await loginReply(app, creds)).json().code, 'totp_required')
  t.equal((await loginReply(app, { ...creds, totp: '000000' === appCode(secret) ? '111111' : '000000' })).json().code, 'totp_invalid')
  const third = await loginReply(app, creds)
  t.equal(third.statusCode, 423)
  t.equal(third.json().code, 'account_locked')
  const locked = await loginReply(app, { ...creds, totp: appCode(secret) })
  t.equal(locked.json().code, 'account_locked', 'even a right code waits for the lock to end')
})

t.test('recovery codes sign in once each, in any case or spacing', async (t) => {
  const { app } = await build(t)
  const user = await signedInUser(app)
  const { recoveryCodes } = await enableTwoFactor(app, user.token, user.password)
  const creds = { username: user.username, password: user.password }
  const first = await loginReply(app, { ...creds, totp: recoveryCodes[0] })
  t.equal(first.statusCode, 200)
  const again = await loginReply(app, { ...creds, totp: recoveryCodes[0] })
  t.equal(again.json().code, 'totp_invalid', 'a recovery code works once')
  const spaced = await loginReply(app, { ...creds, totp: recoveryCodes[1]!.toUpperCase().replaceAll('-', ' ') })
  t.equal(spaced.statusCode, 200)
  t.equal((await loginReply(app, { ...creds, totp: 'zzzz-zzzz-zzzz-zzzz' })).json().code, 'totp_invalid')
  const other = await signedInUser(app)
  const othersCodes = (await enableTwoFactor(app, other.token, other.password)).recoveryCodes
  t.equal((await loginReply(app, { ...creds, totp: othersCodes[0] })).json().code, 'totp_invalid', "another user's code does not work")
  t.equal((await app.inject({ url: '/api/me/2fa', headers: bearer(user.token) })).json().recoveryCodesLeft, 8)
})

t.test('disable needs the password and a code; verifyUserCredentials needs the code too', async (t) => {
  const { app } = await build(t)
  const user = await signedInUser(app)
  t.equal((await post(app, '/api/me/2fa/disable', user.token, { password: user.password, code: '123456' })).json().code, 'two_factor_not_enabled')
  t.equal((await post(app, '/api/me/2fa/enable', user.token, { code: '123456', password: user.password })).json().code, 'two_factor_not_set_up')
  const { secret, recoveryCodes } = await enableTwoFactor(app, user.token, user.password)

  await t.rejects(app.auth.verifyUserCredentials(user.id, { password: user.password }), { code: 'totp_required' })
  await t.rejects(app.auth.verifyUserCredentials(user.id, { password: user.password, code: '99999' }), { code: 'totp_invalid' })
  await t.rejects(app.auth.verifyUserCredentials(user.id, { password: 'wrong password here', code: appCode(secret) }), { code: 'invalid_credentials' })
  await t.resolves(app.auth.verifyUserCredentials(user.id, { password: user.password, code: recoveryCodes[9] }))

  const badPassword = await post(app, '/api/me/2fa/disable', user.token, { password: 'wrong password here', code: appCode(secret) })
  t.equal(badPassword.statusCode, 401)
  t.equal(badPassword.json().code, 'invalid_credentials')
  const noCode = await post(app, '/api/me/2fa/disable', user.token, { password: user.password })
  t.equal(noCode.statusCode, 400)
  t.match(noCode.json().message, /code/)
  const ok = await post(app, '/api/me/2fa/disable', user.token, { password: user.password, code: appCode(secret) })
  t.equal(ok.statusCode, 204)
  t.same((await app.inject({ url: '/api/me/2fa', headers: bearer(user.token) })).json(), { enabled: false, recoveryCodesLeft: 0 })
  const row = await app.db.selectFrom('users').select(['totp_secret', 'two_factor_enabled']).where('id', '=', user.id).executeTakeFirstOrThrow()
  t.same(row, { totp_secret: null, two_factor_enabled: 0 })
  t.equal((await loginReply(app, { username: user.username, password: user.password })).statusCode, 200, 'password alone again')
  const events = await app.db.selectFrom('security_events').select('event_type').where('user_id', '=', user.id).execute()
  t.ok(events.some((e) => e.event_type === 'two_factor_disabled'))
})

t.test('new recovery codes replace all earlier ones, with the password and a code', async (t) => {
  const { app, logs } = await build(t)
  const user = await signedInUser(app)
  const regenerate = (payload: unknown) => post(app, '/api/me/2fa/recovery-codes', user.token, payload)
  t.equal((await regenerate({ password: user.password, code: '123456' })).json().code, 'two_factor_not_enabled')
  const { secret, recoveryCodes: old } = await enableTwoFactor(app, user.token, user.password)
  const creds = { username: user.username, password: user.password }
  t.equal((await loginReply(app, { ...creds, totp: old[0] })).statusCode, 200, 'one old code used')

  const noCode = await regenerate({ password: user.password })
  t.equal(noCode.statusCode, 400)
  t.match(noCode.json().message, /code/)
  const badPassword = await regenerate({ password: 'wrong password here', code: appCode(secret) })
  t.equal(badPassword.statusCode, 401)
  t.equal(badPassword.json().code, 'invalid_credentials')
  const badCode = await regenerate({ password: user.password, code: old[0] })
  t.equal(badCode.json().code, 'totp_invalid', 'a used recovery code does not confirm it')
  t.same((await app.inject({ url: '/api/me/2fa', headers: bearer(user.token) })).json(), { enabled: true, recoveryCodesLeft: 9 }, 'refusals change nothing')

  const ok = await regenerate({ password: user.password, code: appCode(secret) })
  t.equal(ok.statusCode, 200)
  const fresh = ok.json().recoveryCodes as string[]
  t.equal(fresh.length, 10)
  t.equal(new Set(fresh).size, 10)
  t.notOk(fresh.some((code) => old.includes(code)), 'all new')
  t.same((await app.inject({ url: '/api/me/2fa', headers: bearer(user.token) })).json(), { enabled: true, recoveryCodesLeft: 10 })
  t.equal((await loginReply(app, { ...creds, totp: old[1] })).json().code, 'totp_invalid', 'an unused old code no longer works')
  t.equal((await loginReply(app, { ...creds, totp: fresh[0] })).statusCode, 200, 'a new one does')

  // Confirmed with a recovery code: that code is spent, and the set replaced again.
  const again = await regenerate({ password: user.password, code: fresh[1] })
  t.equal(again.statusCode, 200)
  t.equal((await loginReply(app, { ...creds, totp: fresh[2] })).json().code, 'totp_invalid')

  const hashes = await app.db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', user.id).execute()
  t.equal(hashes.length, 10, 'only the latest set is stored')
  const stored = JSON.stringify(hashes)
  t.notOk([...fresh, ...again.json().recoveryCodes].some((code: string) => stored.includes(code) || stored.includes(code.replaceAll('-', ''))), 'and only as hashes')
  t.notOk([...fresh, ...again.json().recoveryCodes].some((code: string) => logs.join('').includes(code)), 'codes never reach the log')
  const events = await app.db.selectFrom('security_events').select('event_type').where('user_id', '=', user.id).execute()
  t.equal(events.filter((e) => e.event_type === 'recovery_codes_regenerated').length, 2, 'each replacement is a security event')
})

t.test('a changed server key locks TOTP out but recovery codes still work', async (t) => {
  const first = await build(t, { env: { TOTP_ENCRYPTION_KEY: 'a'.repeat(40) } })
  const user = await signedInUser(first.app)
  const { secret, recoveryCodes } = await enableTwoFactor(first.app, user.token, user.password)
  await first.app.close()
  const { app } = await build(t, { dataDir: first.dataDir, env: { TOTP_ENCRYPTION_KEY: 'b'.repeat(40) } })
  const creds = { username: user.username, password: user.password }
  t.equal((await loginReply(app, { ...creds, totp: appCode(secret) })).json().code, 'totp_invalid')
  t.equal((await loginReply(app, { ...creds, totp: recoveryCodes[0] })).statusCode, 200)
})

t.test('2FA routes reject missing, malformed, tampered, alg none, expired and revoked credentials', async (t) => {
  const { app } = await build(t)
  const user = await registerUser(app)
  const live = (await loginReply(app, { username: user.username, password: user.password })).json().token as string
  const ended = (await loginReply(app, { username: user.username, password: user.password })).json().token as string
  await app.inject({ method: 'POST', url: '/api/logout', headers: bearer(ended) })
  const [header, payload, signature] = live.split('.')
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`
  const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'x' })).toString('base64url')}.${signature}`
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
  const expired = app.jwt.sign({ sub: claims.sub, sid: claims.sid }, { expiresIn: '60s', clockTimestamp: Date.now() - 3600_000 } as never)
  const cases: Array<[Record<string, string>, string]> = [
    [{}, 'unauthorized'],
    [{ authorization: 'Bearer not-a-jwt' }, 'invalid_token'],
    [{ authorization: `Basic ${live}` }, 'invalid_token'],
    [bearer(none), 'invalid_token'],
    [bearer(tampered), 'invalid_token'],
    [bearer(expired), 'token_expired'],
    [bearer(ended), 'session_revoked']
  ]
  for (const [method, url] of [['GET', '/api/me/2fa'], ['POST', '/api/me/2fa/setup'], ['POST', '/api/me/2fa/enable'], ['POST', '/api/me/2fa/recovery-codes'], ['POST', '/api/me/2fa/disable']] as const) {
    for (const [headers, code] of cases) {
      const res = await app.inject({ method, url, headers, payload: method === 'POST' ? {} : undefined })
      t.equal(res.statusCode, 401, `${url} ${code}`)
      t.equal(res.json().code, code, `${url} ${code}`)
    }
  }
  const recorded = await app.db.selectFrom('security_events').select(['event_type', 'user_id']).where('event_type', '=', 'invalid_token').execute()
  t.ok(recorded.some((e) => e.user_id === null), 'invalid tokens are recorded')
  t.ok(recorded.some((e) => e.user_id === user.id), "an ended session's token is recorded for its owner")
  t.ok(recorded.length <= 3, 'and throttled, not one row per attempt')
})

t.test('no secret, code, recovery code or token reaches the log', async (t) => {
  const { app, logs } = await build(t)
  const user = await signedInUser(app)
  const { secret, recoveryCodes } = await enableTwoFactor(app, user.token, user.password)
  const reply = (await loginReply(app, { username: user.username, password: user.password, totp: appCode(secret) })).json()
  await loginReply(app, { username: user.username, password: user.password, totp: recoveryCodes[0] })
  await post(app, '/api/me/2fa/disable', reply.token, { password: user.password, code: recoveryCodes[1] })
  await app.inject({ method: 'POST', url: '/api/token/refresh', payload: { refreshToken: reply.refreshToken } })
  const text = logs.join('')
  t.ok(text.length > 0, 'the server did log')
  for (const needle of [secret, ...recoveryCodes.slice(0, 2), reply.token, reply.refreshToken, user.password]) {
    t.notOk(text.includes(needle), 'not in the log')
  }
})

t.test('credential-checking routes are limited like a login', async (t) => {
  const { app } = await build(t, { env: { AUTH_RATE_LIMIT_MAX: '2' } })
  const user = await signedInUser(app)
  await enableTwoFactor(app, user.token, user.password)
  const codes = []
  for (let i = 0; i < 3; i++) codes.push((await post(app, '/api/me/2fa/disable', user.token, { password: 'wrong password given', code: '123456' })).statusCode)
  t.same(codes, [401, 401, 429])
})
