import t from 'tap'
import { sql } from 'kysely'
import { build, registerUser, bearer } from '../helper.js'
import { loginReply, openSocket, socketProbe } from './support.js'

const refresh = (app: Awaited<ReturnType<typeof build>>['app'], refreshToken: unknown) =>
  app.inject({ method: 'POST', url: '/api/token/refresh', payload: { refreshToken } })

t.test('login returns a short access token and a refresh token; refresh rotates both', async (t) => {
  const { app } = await build(t)
  const user = await registerUser(app)
  const before = Date.now()
  const res = await loginReply(app, { username: user.username, password: user.password })
  t.equal(res.statusCode, 200)
  const first = res.json()
  t.match(first, { token: String, refreshToken: /^[A-Za-z0-9_-]{43}$/, user: { id: user.id, username: user.username } })
  t.ok(first.expiresAt <= before + 15 * 60_000 + 1000 && first.expiresAt > before + 14 * 60_000, 'access token lives 15 minutes')
  t.ok(first.refreshExpiresAt > before + 29 * 86400_000, 'the session lives 30 days')
  const claims = JSON.parse(Buffer.from(first.token.split('.')[1], 'base64url').toString('utf8'))
  t.equal(claims.exp - claims.iat, 15 * 60, 'the token itself expires 15 minutes after it was issued')
  t.ok(Math.abs(claims.exp * 1000 - first.expiresAt) < 1000, 'the token expires when the reply says it does')

  const rotated = await refresh(app, first.refreshToken)
  t.equal(rotated.statusCode, 200)
  const second = rotated.json()
  t.not(second.refreshToken, first.refreshToken)
  t.not(second.token, first.token)
  t.equal(second.refreshExpiresAt, first.refreshExpiresAt, 'rotation does not extend the session')
  t.equal((await app.inject({ url: '/api/me/sessions', headers: bearer(second.token) })).statusCode, 200, 'the new access token works')
  const old = await app.inject({ url: '/api/me/sessions', headers: bearer(first.token) })
  t.equal(old.statusCode, 401, 'the access token it replaced is retired')

  const third = await refresh(app, second.refreshToken)
  t.equal(third.statusCode, 200, 'the new refresh token works in turn')
  const rows = await app.db.selectFrom('refresh_tokens').selectAll().execute()
  t.equal(rows.length, 3)
  for (const row of rows) t.not(row.token_hash, first.refreshToken, 'only hashes are stored')
})

t.test('a retired refresh token presented again ends the session, closes its socket and is recorded', async (t) => {
  const { app, url } = await build(t, { listen: true, plugins: [socketProbe] })
  const user = await registerUser(app)
  const first = (await loginReply(app, { username: user.username, password: user.password })).json()
  const other = (await loginReply(app, { username: user.username, password: user.password })).json()
  const second = (await refresh(app, first.refreshToken)).json()
  const victim = await openSocket(url, second.token)
  const bystander = await openSocket(url, other.token)

  const reuse = await refresh(app, first.refreshToken)
  t.equal(reuse.statusCode, 401)
  t.equal(reuse.json().code, 'refresh_token_reused')
  const closed = await victim.closed
  t.equal(closed.code, 4001)
  t.equal(closed.reason, 'refresh_token_reuse')

  t.equal((await refresh(app, second.refreshToken)).json().code, 'session_revoked', 'the thief’s newer token dies with the session')
  const access = await app.inject({ url: '/api/me/sessions', headers: bearer(second.token) })
  t.equal(access.json().code, 'session_revoked')
  t.equal((await app.inject({ url: '/api/me/sessions', headers: bearer(other.token) })).statusCode, 200, 'other sessions carry on')
  t.equal(bystander.ws.readyState, bystander.ws.OPEN)
  bystander.ws.close()

  const events = await app.db.selectFrom('security_events').select(['event_type', 'event_data']).where('user_id', '=', user.id).execute()
  t.ok(events.some((e) => e.event_type === 'refresh_token_reuse'), 'refresh_token_reuse recorded')
  t.ok(events.some((e) => e.event_type === 'session_revoked' && e.event_data.includes('refresh_token_reuse')), 'revocation recorded')
})

t.test('two racing refreshes with one token: one wins, the session ends', async (t) => {
  const { app } = await build(t)
  const user = await registerUser(app)
  const first = (await loginReply(app, { username: user.username, password: user.password })).json()
  const [a, b] = await Promise.all([refresh(app, first.refreshToken), refresh(app, first.refreshToken)])
  t.same([a.statusCode, b.statusCode].sort(), [200, 401])
  const winner = a.statusCode === 200 ? a.json() : b.json()
  t.equal((await refresh(app, winner.refreshToken)).json().code, 'session_revoked')
})

t.test('a refresh whose new refresh token cannot be stored changes nothing, and its retry works', async (t) => {
  const { app } = await build(t)
  const user = await registerUser(app)
  const first = (await loginReply(app, { username: user.username, password: user.password })).json()
  // A storage failure at the last of the refresh's writes, as a full disk would cause.
  await sql`create trigger refuse_refresh_token before insert on refresh_tokens begin select raise(abort, 'disk full'); end`.execute(app.db)
  const failed = await refresh(app, first.refreshToken)
  t.equal(failed.statusCode, 500)
  t.notMatch(failed.body, /disk full/, 'the storage error is not shown to the client')
  t.equal((await app.inject({ url: '/api/me/sessions', headers: bearer(first.token) })).statusCode, 200, 'the access token was not rotated away')

  await sql`drop trigger refuse_refresh_token`.execute(app.db)
  const retry = await refresh(app, first.refreshToken)
  t.equal(retry.statusCode, 200, 'the refresh token was not retired, so its retry is no reuse')
  t.equal((await app.inject({ url: '/api/me/sessions', headers: bearer(retry.json().token) })).statusCode, 200)
  const events = await app.db.selectFrom('security_events').select('event_type').where('user_id', '=', user.id).execute()
  t.notOk(events.some((e) => e.event_type === 'refresh_token_reuse'), 'no reuse was recorded')
})

t.test('refresh refuses unknown, malformed, expired and logged-out tokens clearly', async (t) => {
  const { app } = await build(t)
  const user = await registerUser(app)
  const cases: Array<[unknown, number, string]> = [
    ['A'.repeat(43), 401, 'invalid_refresh_token'],
    ['short', 400, 'validation_failed'],
    [12345, 400, 'validation_failed'],
    [null, 400, 'validation_failed'],
    ['a'.repeat(42) + '!', 400, 'validation_failed']
  ]
  for (const [token, status, code] of cases) {
    const res = await refresh(app, token)
    t.equal(res.statusCode, status, String(token))
    t.equal(res.json().code, code, String(token))
  }
  const missing = await app.inject({ method: 'POST', url: '/api/token/refresh', payload: {} })
  t.equal(missing.statusCode, 400)
  t.match(missing.json().message, /refreshToken/)
  const notJson = await app.inject({ method: 'POST', url: '/api/token/refresh', headers: { 'content-type': 'application/json' }, payload: '{"refreshToken":' })
  t.equal(notJson.json().code, 'invalid_json')

  const expiring = (await loginReply(app, { username: user.username, password: user.password })).json()
  await app.db.updateTable('refresh_tokens').set({ expires_at: Date.now() - 1 }).execute()
  const expired = await refresh(app, expiring.refreshToken)
  t.equal(expired.statusCode, 401)
  t.equal(expired.json().code, 'invalid_refresh_token')

  const out = (await loginReply(app, { username: user.username, password: user.password })).json()
  await app.inject({ method: 'POST', url: '/api/logout', headers: bearer(out.token) })
  t.equal((await refresh(app, out.refreshToken)).json().code, 'session_revoked', 'logout retires the refresh token too')
})

t.test('configured lifetimes: access tokens follow ACCESS_TOKEN_TTL and never outlive the session', async (t) => {
  const { app } = await build(t, { env: { ACCESS_TOKEN_TTL: '2m', SESSION_TTL: '1h' } })
  const user = await registerUser(app)
  const before = Date.now()
  const body = (await loginReply(app, { username: user.username, password: user.password })).json()
  t.ok(body.expiresAt <= Date.now() + 120_000 && body.expiresAt >= before + 119_000)
  t.ok(body.refreshExpiresAt <= Date.now() + 3600_000 && body.refreshExpiresAt >= before + 3599_000)
  // A session about to end: the next access token is cut to what is left of it.
  await app.db.updateTable('sessions').set({ expires_at: Date.now() + 30_000 }).execute()
  await app.db.updateTable('refresh_tokens').set({ expires_at: Date.now() + 30_000 }).execute()
  const next = (await refresh(app, body.refreshToken)).json()
  t.ok(next.expiresAt <= Date.now() + 30_000, 'capped at the session end')
})

t.test('single-token mode keeps the original 24-hour token and no refresh', async (t) => {
  const { app } = await build(t, { env: { AUTH_TOKEN_MODE: 'single' } })
  const user = await registerUser(app)
  const before = Date.now()
  const res = await loginReply(app, { username: user.username, password: user.password })
  const body = res.json()
  t.equal(body.refreshToken, undefined)
  t.equal(body.refreshExpiresAt, undefined)
  t.ok(body.expiresAt >= before + 24 * 3600_000 - 1000 && body.expiresAt <= Date.now() + 24 * 3600_000)
  t.equal((await app.inject({ url: '/api/me/sessions', headers: bearer(body.token) })).statusCode, 200)
  const refused = await refresh(app, 'A'.repeat(43))
  t.equal(refused.statusCode, 400)
  t.equal(refused.json().code, 'refresh_disabled')
})

t.test('an unknown AUTH_TOKEN_MODE fails at boot naming the variable', async (t) => {
  await t.rejects(build(t, { env: { AUTH_TOKEN_MODE: 'forever' } }), /AUTH_TOKEN_MODE/)
})
