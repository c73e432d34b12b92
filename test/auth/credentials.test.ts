import t from 'tap'
import { build, boxKeyPair, registerUser, signedInUser, bearer } from '../helper.js'
import { appCode, enableTwoFactor, loginReply, openSocket, socketProbe } from './support.js'

type App = Awaited<ReturnType<typeof build>>['app']
const changePassword = (app: App, token: string, payload: unknown) =>
  app.inject({ method: 'POST', url: '/api/me/password', headers: bearer(token), payload: payload as object })
const putKey = (app: App, token: string, payload: unknown) =>
  app.inject({ method: 'PUT', url: '/api/me/key', headers: bearer(token), payload: payload as object })

t.test('key rotation validates like register, sets the rotation date and tells listeners', async (t) => {
  const { app } = await build(t)
  const user = await signedInUser(app)
  const heard: unknown[] = []
  app.events.on('user.key_changed', (e) => heard.push(e))
  const before = Date.now()
  const publicKey = boxKeyPair().publicKey.toString('base64')
  const res = await putKey(app, user.token, { publicKey })
  t.equal(res.statusCode, 200)
  t.equal(res.json().publicKey, publicKey)
  t.ok(res.json().keyRotationDate >= before)
  t.same(heard, [{ userId: user.id, publicKey, keyRotationDate: res.json().keyRotationDate }])
  const published = await app.inject({ url: `/api/users/${user.id}/key`, headers: bearer(user.token) })
  t.same(published.json(), { userId: user.id, publicKey, keyRotationDate: res.json().keyRotationDate })

  const same = await putKey(app, user.token, { publicKey })
  t.equal(same.json().keyRotationDate, res.json().keyRotationDate, 'the same key again changes nothing')
  t.equal(heard.length, 1, 'and warns nobody')

  const lowOrder = Buffer.alloc(32); lowOrder[0] = 1
  for (const bad of ['not base64!', 'AAAA', Buffer.alloc(32).toString('base64'), lowOrder.toString('base64'), Buffer.alloc(33, 7).toString('base64')]) {
    const r = await putKey(app, user.token, { publicKey: bad })
    t.equal(r.statusCode, 400, bad)
    t.equal(r.json().code, 'invalid_public_key', bad)
  }
  for (const bad of [{}, { publicKey: 5 }, { publicKey: '' }, { publicKey: 'A'.repeat(257) }]) {
    const r = await putKey(app, user.token, bad)
    t.equal(r.statusCode, 400)
    t.match(r.json().message, /publicKey/)
  }
  t.equal(heard.length, 1)
  const events = await app.db.selectFrom('security_events').select('event_type').where('user_id', '=', user.id).where('event_type', '=', 'key_rotated').execute()
  t.equal(events.length, 1)
})

t.test('a password change follows the policy, ends every other session and its sockets', async (t) => {
  const { app, url } = await build(t, { listen: true, plugins: [socketProbe] })
  const user = await signedInUser(app)
  const other = (await loginReply(app, { username: user.username, password: user.password })).json()
  const otherSocket = await openSocket(url, other.token)
  const ownSocket = await openSocket(url, user.token)
  const bystander = await signedInUser(app)
  const newPassword = 'an entirely new passphrase 7'

  const cases: Array<[Record<string, unknown>, number, string, RegExp?]> = [
    [{ currentPassword: 'wrong password given', newPassword }, 401, 'invalid_credentials'],
    [{ currentPassword: user.password, newPassword: 'short' }, 400, 'weak_password', /at least 10/],
    [{ currentPassword: user.password, newPassword: 'password123' }, 400, 'weak_password', /common/],
    [{ currentPassword: user.password, newPassword: `my ${user.username} pass` }, 400, 'weak_password', /username/],
    [{ currentPassword: user.password, newPassword: user.password }, 400, 'weak_password', /differ/],
    [{ currentPassword: user.password }, 400, 'validation_failed', /newPassword/],
    [{ newPassword }, 400, 'validation_failed', /currentPassword/],
    [{ currentPassword: user.password, newPassword: 1234567890123 }, 400, 'validation_failed', /newPassword/]
  ]
  for (const [payload, status, code, message] of cases) {
    const res = await changePassword(app, user.token, payload)
    t.equal(res.statusCode, status, code)
    t.equal(res.json().code, code)
    if (message !== undefined) t.match(res.json().message, message)
  }
  t.equal(otherSocket.ws.readyState, otherSocket.ws.OPEN, 'failed attempts end nothing')

  const before = Date.now()
  const res = await changePassword(app, user.token, { currentPassword: user.password, newPassword })
  t.equal(res.statusCode, 200)
  t.equal(res.json().sessionsEnded, 1)
  t.ok(res.json().lastPasswordChange >= before)
  t.equal((await otherSocket.closed).reason, 'password_changed')
  t.equal((await app.inject({ url: '/api/me/sessions', headers: bearer(other.token) })).json().code, 'session_revoked')
  t.equal((await app.inject({ method: 'POST', url: '/api/token/refresh', payload: { refreshToken: other.refreshToken } })).json().code, 'session_revoked')
  t.equal((await app.inject({ url: '/api/me/sessions', headers: bearer(user.token) })).statusCode, 200, 'the current session stays')
  t.equal(ownSocket.ws.readyState, ownSocket.ws.OPEN)
  t.equal((await app.inject({ url: '/api/me/sessions', headers: bearer(bystander.token) })).statusCode, 200)
  t.equal((await loginReply(app, { username: user.username, password: user.password })).statusCode, 401, 'the old password is gone')
  t.equal((await loginReply(app, { username: user.username, password: newPassword })).statusCode, 200)
  const row = await app.db.selectFrom('users').select('last_password_change').where('id', '=', user.id).executeTakeFirstOrThrow()
  t.equal(row.last_password_change, res.json().lastPasswordChange)
  const types = (await app.db.selectFrom('security_events').select('event_type').where('user_id', '=', user.id).execute()).map((e) => e.event_type)
  t.ok(types.includes('password_changed'))
  t.ok(types.includes('session_revoked'))
  ownSocket.ws.close()
})

t.test('with 2FA on, a password change needs a code too', async (t) => {
  const { app } = await build(t)
  const user = await signedInUser(app)
  const { secret } = await enableTwoFactor(app, user.token, user.password)
  const newPassword = 'an entirely new passphrase 8'
  t.equal((await changePassword(app, user.token, { currentPassword: user.password, newPassword })).json().code, 'totp_required')
  const ok = await changePassword(app, user.token, { currentPassword: user.password, newPassword, code: appCode(secret) })
  t.equal(ok.statusCode, 200)
})

t.test('wrong current passwords count toward the lockout', async (t) => {
  const { app } = await build(t, { env: { LOCKOUT_MAX_ATTEMPTS: '2' } })
  const user = await signedInUser(app)
  const payload = { currentPassword: 'wrong password given', newPassword: 'an entirely new passphrase 9' }
  t.equal((await changePassword(app, user.token, payload)).statusCode, 401)
  t.equal((await changePassword(app, user.token, payload)).statusCode, 423)
  t.equal((await changePassword(app, user.token, { ...payload, currentPassword: user.password })).json().code, 'account_locked')
})

t.test('the login reply flags a password older than PASSWORD_REMINDER_AGE', async (t) => {
  const { app } = await build(t, { env: { PASSWORD_REMINDER_AGE: '90d' } })
  const user = await registerUser(app)
  const fresh = (await loginReply(app, { username: user.username, password: user.password })).json()
  t.equal(fresh.passwordChangeDue, false)
  const old = Date.now() - 91 * 86400_000
  await app.db.updateTable('users').set({ last_password_change: old }).where('id', '=', user.id).execute()
  const due = (await loginReply(app, { username: user.username, password: user.password })).json()
  t.equal(due.passwordChangeDue, true)
  t.equal(due.passwordChangedAt, old)
})

t.test('key and password routes reject missing, malformed, tampered, alg none, expired and revoked credentials', async (t) => {
  const { app } = await build(t)
  const user = await signedInUser(app)
  const ended = (await loginReply(app, { username: user.username, password: user.password })).json().token as string
  await app.inject({ method: 'POST', url: '/api/logout', headers: bearer(ended) })
  const [header, payload, signature] = user.token.split('.')
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
  const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sid: 'other' })).toString('base64url')}.${signature}`
  const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`
  const hs512 = `${Buffer.from('{"alg":"HS512","typ":"JWT"}').toString('base64url')}.${payload}.${signature}`
  const expired = app.jwt.sign({ sub: claims.sub, sid: claims.sid }, { expiresIn: '60s', clockTimestamp: Date.now() - 3600_000 } as never)
  const cases: Array<[Record<string, string>, string]> = [
    [{}, 'unauthorized'], [bearer('garbage'), 'invalid_token'], [bearer(tampered), 'invalid_token'], [bearer(none), 'invalid_token'],
    [bearer(hs512), 'invalid_token'], [bearer(expired), 'token_expired'], [bearer(ended), 'session_revoked']
  ]
  for (const [method, url] of [['PUT', '/api/me/key'], ['PUT', '/api/me/signing-key'], ['POST', '/api/me/password']] as const) {
    for (const [headers, code] of cases) {
      const res = await app.inject({ method, url, headers, payload: {} })
      t.equal(res.statusCode, 401, `${url} ${code}`)
      t.equal(res.json().code, code, `${url} ${code}`)
    }
  }
})
