import t from 'tap'
import { build, boxKeyPair, registerUser, login, bearer } from '../helper.js'

const key = () => boxKeyPair().publicKey.toString('base64')
const register = (app: Awaited<ReturnType<typeof build>>['app'], payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/register', payload: payload as object, headers })

t.test('register creates an account and answers 201 with id and username', async (t) => {
  const { app } = await build(t)
  const res = await register(app, { username: 'alice.w-1', password: 'a long enough passphrase', publicKey: key() })
  t.equal(res.statusCode, 201)
  const body = res.json()
  t.match(body, { id: /^[0-9a-f-]{36}$/, username: 'alice.w-1' })
  t.same(Object.keys(body).sort(), ['id', 'username'])
})

t.test('register refuses bad input with 400 naming the problem', async (t) => {
  const { app } = await build(t)
  const good = { username: 'bob_r', password: 'a long enough passphrase', publicKey: key() }
  const cases: Array<[string, unknown, RegExp]> = [
    ['missing username', { password: good.password, publicKey: good.publicKey }, /username/],
    ['missing password', { username: 'bob_r', publicKey: good.publicKey }, /password/],
    ['missing publicKey', { username: 'bob_r', password: good.password }, /publicKey/],
    ['username too short', { ...good, username: 'ab' }, /username/],
    ['username too long', { ...good, username: 'a'.repeat(33) }, /username/],
    ['username with a space', { ...good, username: 'bob r' }, /username/],
    ['username as number', { ...good, username: 12345 }, /username/],
    ['password as number', { ...good, password: 1234567890123 }, /password/],
    ['body is an array', [good], /body/],
    ['body is a JSON string', 'hello', /body/]
  ]
  for (const [name, payload, field] of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/register', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) })
    t.equal(res.statusCode, 400, name)
    t.equal(res.json().code, 'validation_failed', name)
    t.match(res.json().message, field, name)
  }
})

t.test('register enforces the password policy with a message that says what is wrong', async (t) => {
  const { app } = await build(t)
  const cases: Array<[string, RegExp]> = [
    ['short-pw', /at least 10/],
    ['password123', /most common/],
    ['QWERTYUIOP', /most common/],
    ['my-carol_k-is-great', /username/],
    ['aaaaaaaaaaaa', /repeat/]
  ]
  for (const [password, reason] of cases) {
    const res = await register(app, { username: 'carol_k', password, publicKey: key() })
    t.equal(res.statusCode, 400, password)
    t.equal(res.json().code, 'weak_password', password)
    t.match(res.json().message, reason, password)
  }
})

t.test('register refuses public keys that are not 32-byte Curve25519 keys', async (t) => {
  const { app } = await build(t)
  const bad = [
    'not base64 at all!',
    Buffer.alloc(31, 7).toString('base64'),
    Buffer.alloc(33, 7).toString('base64'),
    Buffer.alloc(32, 0).toString('base64'), // a low-order point: every shared secret would be zero
    Buffer.alloc(32, 7).toString('base64url').replace(/=+$/, '') + '=='
  ]
  for (const publicKey of bad) {
    const res = await register(app, { username: 'dave_p', password: 'a long enough passphrase', publicKey })
    t.equal(res.statusCode, 400, publicKey)
    t.equal(res.json().code, 'invalid_public_key', publicKey)
  }
})

t.test('a taken username is 409, whatever its case', async (t) => {
  const { app } = await build(t)
  await registerUser(app, 'Erin')
  for (const username of ['Erin', 'erin', 'ERIN']) {
    const res = await register(app, { username, password: 'a long enough passphrase', publicKey: key() })
    t.equal(res.statusCode, 409, username)
    t.equal(res.json().code, 'username_taken')
  }
})

t.test('unknown fields are dropped, not stored', async (t) => {
  const { app } = await build(t)
  const res = await register(app, { username: 'frank', password: 'a long enough passphrase', publicKey: key(), isAdmin: true, security_settings: '{"x":1}' })
  t.equal(res.statusCode, 201)
  const row = await app.db.selectFrom('users').selectAll().where('username', '=', 'frank').executeTakeFirstOrThrow()
  t.equal(row.security_settings, '{}')
})

t.test('malformed JSON, wrong content type and oversized bodies get clear 4xx', async (t) => {
  const { app } = await build(t)
  const broken = await app.inject({ method: 'POST', url: '/api/register', headers: { 'content-type': 'application/json' }, payload: '{"username": "x",' })
  t.equal(broken.statusCode, 400)
  t.equal(broken.json().code, 'invalid_json')
  const text = await app.inject({ method: 'POST', url: '/api/register', headers: { 'content-type': 'text/plain' }, payload: 'hello' })
  t.equal(text.statusCode, 415)
  t.equal(text.json().code, 'unsupported_media_type')
  const huge = await register(app, { username: 'gina', password: 'x'.repeat(70_000), publicKey: key() })
  t.equal(huge.statusCode, 413)
  t.equal(huge.json().code, 'payload_too_large')
  for (const res of [broken, text, huge]) {
    t.same(Object.keys(res.json()).sort(), ['code', 'error', 'message', 'statusCode'])
    t.notMatch(res.body, /at .*\.(ts|js):\d+/, 'no stack trace')
  }
})

t.test('login answers a token, its expiry and the user', async (t) => {
  const { app } = await build(t)
  const user = await registerUser(app, 'hana')
  const res = await app.inject({ method: 'POST', url: '/api/login', payload: { username: 'HANA', password: user.password } })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body, { token: String, expiresAt: Number, user: { id: user.id, username: 'hana' } })
  t.ok(body.expiresAt > Date.now())
  const claims = JSON.parse(Buffer.from(body.token.split('.')[1], 'base64url').toString())
  t.same(Object.keys(claims).sort(), ['exp', 'iat', 'sid', 'sub'], 'a minimal payload')
  t.equal(claims.sub, user.id)
  t.equal(claims.exp * 1000, Math.floor(body.expiresAt / 1000) * 1000, 'the reply and the token agree on expiry')
  const me = await app.inject({ url: '/api/users/online', headers: bearer(body.token) })
  t.equal(me.statusCode, 200)
})

t.test('a wrong password and an unknown user get the same answer', async (t) => {
  const { app } = await build(t)
  const user = await registerUser(app, 'ivan')
  const wrong = await app.inject({ method: 'POST', url: '/api/login', payload: { username: 'ivan', password: 'not the password at all' } })
  const unknown = await app.inject({ method: 'POST', url: '/api/login', payload: { username: 'nobody-here', password: user.password } })
  t.equal(wrong.statusCode, 401)
  t.equal(unknown.statusCode, 401)
  t.same(wrong.json(), unknown.json())
  t.equal(wrong.json().code, 'invalid_credentials')
})

t.test('failed logins lock the account; success resets the count; the lock ends', async (t) => {
  const { app } = await build(t, { env: { LOCKOUT_MAX_ATTEMPTS: '3', LOCKOUT_DURATION: '15m', AUTH_RATE_LIMIT_MAX: '100' } })
  const user = await registerUser(app, 'judy')
  const attempt = (password: string) => app.inject({ method: 'POST', url: '/api/login', payload: { username: 'judy', password } })

  t.equal((await attempt('wrong password 1')).statusCode, 401)
  t.equal((await attempt('wrong password 2')).statusCode, 401)
  t.equal((await attempt(user.password)).statusCode, 200, 'success before the limit')
  const row = () => app.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow()
  t.equal((await row()).failed_login_attempts, 0, 'success reset the count')

  t.equal((await attempt('wrong password 1')).statusCode, 401)
  t.equal((await attempt('wrong password 2')).statusCode, 401)
  const locking = await attempt('wrong password 3')
  t.equal(locking.statusCode, 423)
  t.equal(locking.json().code, 'account_locked')
  const retryAfter = Number(locking.headers['retry-after'])
  t.ok(retryAfter > 800 && retryAfter <= 900, `Retry-After ${retryAfter} is about 15 minutes`)

  const whileLocked = await attempt(user.password)
  t.equal(whileLocked.statusCode, 423, 'even the right password waits for the lock')

  // Age the lock instead of waiting for it.
  await app.db.updateTable('users').set({ account_locked_until: Date.now() - 1 }).where('id', '=', user.id).execute()
  t.equal((await attempt(user.password)).statusCode, 200, 'unlocked once the time passed')
  const events = await app.db.selectFrom('security_events').select('event_type').where('user_id', '=', user.id).execute()
  t.ok(events.some((e) => e.event_type === 'account_locked'), 'the lockout is audited')
})

t.test('logout ends the session at once', async (t) => {
  const { app } = await build(t)
  const user = await registerUser(app, 'kim')
  const token = await login(app, user)
  const other = await login(app, user)
  const out = await app.inject({ method: 'POST', url: '/api/logout', headers: bearer(token) })
  t.equal(out.statusCode, 204)
  const after = await app.inject({ url: '/api/users/online', headers: bearer(token) })
  t.equal(after.statusCode, 401)
  t.equal(after.json().code, 'session_revoked')
  const again = await app.inject({ method: 'POST', url: '/api/logout', headers: bearer(token) })
  t.equal(again.statusCode, 401)
  t.equal((await app.inject({ url: '/api/users/online', headers: bearer(other) })).statusCode, 200, 'other sessions carry on')
})
