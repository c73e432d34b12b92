import t from 'tap'
import { build, boxKeyPair, registerUser, signedInUser, bearer } from '../helper.js'
import { appCode, enableTwoFactor, signChallenge, signKeyPair } from './support.js'

type App = Awaited<ReturnType<typeof build>>['app']
const challengeFor = async (app: App, username: string) =>
  (await app.inject({ method: 'POST', url: '/api/auth/challenge', payload: { username } })).json() as { challenge: string, expiresAt: number }
const keyLogin = (app: App, payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/auth/key-login', payload })

async function keyUser (app: App) {
  const keys = signKeyPair()
  const box = boxKeyPair()
  const username = `keyuser${Math.floor(Math.random() * 1e9)}`
  const password = 'a long enough passphrase 42'
  const res = await app.inject({
    method: 'POST', url: '/api/register',
    payload: { username, password, publicKey: box.publicKey.toString('base64'), signingKey: keys.publicKey.toString('base64') }
  })
  if (res.statusCode !== 201) throw new Error(res.body)
  return { id: res.json().id as string, username, password, ...keys }
}

t.test('a signed challenge signs in with the same tokens as a password', async (t) => {
  const { app } = await build(t)
  const user = await keyUser(app)
  const before = Date.now()
  const { challenge, expiresAt } = await challengeFor(app, user.username)
  t.match(challenge, /^[A-Za-z0-9_-]{43}$/)
  t.ok(expiresAt > before && expiresAt <= Date.now() + 120_000, 'two minutes by default')
  const res = await keyLogin(app, { username: user.username.toUpperCase(), challenge, signature: signChallenge(challenge, user.secretKey), deviceLabel: 'laptop' })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body, { token: String, refreshToken: String, expiresAt: Number, refreshExpiresAt: Number, user: { id: user.id, username: user.username }, passwordChangeDue: false })
  const sessions = await app.inject({ url: '/api/me/sessions', headers: bearer(body.token) })
  t.equal(sessions.json().items[0].deviceLabel, 'laptop')
  const events = await app.db.selectFrom('security_events').select('event_data').where('user_id', '=', user.id).where('event_type', '=', 'login_success').execute()
  t.match(events[0]!.event_data, /"method":"key"/)
  t.equal(await app.db.selectFrom('auth_challenges').select('challenge_hash').executeTakeFirst(), undefined, 'the challenge is used up')
})

t.test('reused, expired, foreign and made-up challenges are refused', async (t) => {
  const { app } = await build(t)
  const alice = await keyUser(app)
  const bob = await keyUser(app)

  const { challenge } = await challengeFor(app, alice.username)
  const signature = signChallenge(challenge, alice.secretKey)
  t.equal((await keyLogin(app, { username: alice.username, challenge, signature })).statusCode, 200)
  const reused = await keyLogin(app, { username: alice.username, challenge, signature })
  t.equal(reused.statusCode, 401)
  t.equal(reused.json().code, 'challenge_invalid', 'single use')

  const stale = await challengeFor(app, alice.username)
  await app.db.updateTable('auth_challenges').set({ expires_at: Date.now() - 1 }).execute()
  const expired = await keyLogin(app, { username: alice.username, challenge: stale.challenge, signature: signChallenge(stale.challenge, alice.secretKey) })
  t.equal(expired.json().code, 'challenge_invalid', 'expired')

  const bobs = await challengeFor(app, bob.username)
  const foreign = await keyLogin(app, { username: alice.username, challenge: bobs.challenge, signature: signChallenge(bobs.challenge, alice.secretKey) })
  t.equal(foreign.json().code, 'challenge_invalid', "another user's challenge")
  const burnt = await keyLogin(app, { username: bob.username, challenge: bobs.challenge, signature: signChallenge(bobs.challenge, bob.secretKey) })
  t.equal(burnt.json().code, 'challenge_invalid', 'a misused challenge is used up too')

  const madeUp = 'A'.repeat(43)
  t.equal((await keyLogin(app, { username: alice.username, challenge: madeUp, signature: signChallenge(madeUp, alice.secretKey) })).json().code, 'challenge_invalid')
})

t.test('a wrong key or signature is refused, counts toward the lockout, and unknown users look the same', async (t) => {
  const { app } = await build(t, { env: { LOCKOUT_MAX_ATTEMPTS: '3' } })
  const user = await keyUser(app)
  const intruder = signKeyPair()
  const attempt = async (username: string, sign: (c: string) => string) => {
    const { challenge } = await challengeFor(app, username)
    return await keyLogin(app, { username, challenge, signature: sign(challenge) })
  }
  const wrongKey = await attempt(user.username, (c) => signChallenge(c, intruder.secretKey))
  t.equal(wrongKey.statusCode, 401)
  t.equal(wrongKey.json().code, 'invalid_credentials')
  const otherMessage = await attempt(user.username, () => signChallenge('something else', user.secretKey))
  t.same(otherMessage.json(), wrongKey.json(), 'a signature of another message')
  const unknown = await attempt('nobody_here', (c) => signChallenge(c, intruder.secretKey))
  t.same(unknown.json(), wrongKey.json(), 'an unknown user gets the same answer')
  const unknownChallenge = await app.inject({ method: 'POST', url: '/api/auth/challenge', payload: { username: 'nobody_here' } })
  t.equal(unknownChallenge.statusCode, 200, 'and a challenge like anyone')
  t.same(Object.keys(unknownChallenge.json()).sort(), ['challenge', 'expiresAt'])
  const noKey = await registerUser(app)
  const keyless = await attempt(noKey.username, (c) => signChallenge(c, intruder.secretKey))
  t.same(keyless.json(), wrongKey.json(), 'a user without a signing key gets the same answer')

  const third = await attempt(user.username, (c) => signChallenge(c, intruder.secretKey))
  t.equal(third.json().code, 'account_locked', 'the third failure locks')
  const locked = await attempt(user.username, (c) => signChallenge(c, user.secretKey))
  t.equal(locked.statusCode, 423, 'even the right key waits for the lock to end')
})

t.test('malformed key-login input gets a clear 400', async (t) => {
  const { app } = await build(t)
  const user = await keyUser(app)
  const { challenge } = await challengeFor(app, user.username)
  const good = { username: user.username, challenge, signature: signChallenge(challenge, user.secretKey) }
  const cases: Array<[string, unknown, RegExp]> = [
    ['signature too short', { ...good, signature: 'AAAA' }, /signature/],
    ['signature not base64', { ...good, signature: '!'.repeat(88) }, /signature/],
    ['signature a number', { ...good, signature: 5 }, /signature/],
    ['challenge malformed', { ...good, challenge: 'x' }, /challenge/],
    ['missing username', { challenge: good.challenge, signature: good.signature }, /username/],
    ['empty username', { ...good, username: '' }, /username/],
    ['body an array', [good], /body/]
  ]
  for (const [name, payload, field] of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/key-login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) })
    t.equal(res.statusCode, 400, name)
    t.equal(res.json().code, 'validation_failed', name)
    t.match(res.json().message, field, name)
  }
  t.equal((await keyLogin(app, good)).statusCode, 200, 'the challenge was not used up by malformed requests')
  for (const payload of [{}, { username: 5 }, { username: 'x'.repeat(65) }]) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/challenge', payload })
    t.equal(res.statusCode, 400)
    t.match(res.json().message, /username/)
  }
})

t.test('with 2FA on, key login needs the code as well', async (t) => {
  const { app } = await build(t)
  const user = await keyUser(app)
  const token = (await app.inject({ method: 'POST', url: '/api/login', payload: { username: user.username, password: user.password } })).json().token
  const { secret } = await enableTwoFactor(app, token, user.password)
  let { challenge } = await challengeFor(app, user.username)
  const without = await keyLogin(app, { username: user.username, challenge, signature: signChallenge(challenge, user.secretKey) })
  t.equal(without.json().code, 'totp_required')
  ;({ challenge } = await challengeFor(app, user.username))
  const withCode = await keyLogin(app, { username: user.username, challenge, signature: signChallenge(challenge, user.secretKey), totp: appCode(secret) })
  t.equal(withCode.statusCode, 200)
})

t.test('outstanding challenges per name are capped and expired ones purged', async (t) => {
  const { app } = await build(t)
  for (let i = 0; i < 8; i++) await challengeFor(app, 'someone')
  const rows = await app.db.selectFrom('auth_challenges').selectAll().execute()
  t.equal(rows.length, 5)
  await app.db.updateTable('auth_challenges').set({ expires_at: Date.now() - 1 }).execute()
  await challengeFor(app, 'another')
  t.equal((await app.db.selectFrom('auth_challenges').selectAll().execute()).length, 1)
})

t.test('PUT /api/me/signing-key sets, replaces and removes the key, with the password', async (t) => {
  const { app } = await build(t)
  const user = await signedInUser(app)
  const keys = signKeyPair()
  const put = (payload: unknown) => app.inject({ method: 'PUT', url: '/api/me/signing-key', headers: bearer(user.token), payload: payload as object })
  const signingKey = keys.publicKey.toString('base64')

  const wrong = await put({ signingKey, password: 'not my password ok' })
  t.equal(wrong.statusCode, 401)
  t.equal(wrong.json().code, 'invalid_credentials')
  for (const bad of ['AAAA', 'A'.repeat(43) + '=', Buffer.alloc(32).toString('base64'), boxKeyPair().publicKey.toString('base64').replace(/.$/, '*')]) {
    const res = await put({ signingKey: bad, password: user.password })
    t.equal(res.statusCode, 400, bad)
    t.equal(res.json().code, 'invalid_signing_key', bad)
  }
  t.equal((await put({ signingKey })).statusCode, 400, 'password required')

  const ok = await put({ signingKey, password: user.password })
  t.equal(ok.statusCode, 200)
  t.same(ok.json(), { signingKey })
  let { challenge } = await challengeFor(app, user.username)
  t.equal((await keyLogin(app, { username: user.username, challenge, signature: signChallenge(challenge, keys.secretKey) })).statusCode, 200)

  t.same((await put({ signingKey: null, password: user.password })).json(), { signingKey: null })
  ;({ challenge } = await challengeFor(app, user.username))
  t.equal((await keyLogin(app, { username: user.username, challenge, signature: signChallenge(challenge, keys.secretKey) })).json().code, 'invalid_credentials', 'removed key no longer signs in')
  const events = await app.db.selectFrom('security_events').select('event_type').where('user_id', '=', user.id).where('event_type', '=', 'signing_key_changed').execute()
  t.equal(events.length, 2)

  const badRegister = await app.inject({ method: 'POST', url: '/api/register', payload: { username: 'zed_q', password: 'a long enough passphrase', publicKey: boxKeyPair().publicKey.toString('base64'), signingKey: 'nope' } })
  t.equal(badRegister.json().code, 'invalid_signing_key')
})
