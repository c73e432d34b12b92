import t from 'tap'
import { sql } from 'kysely'
import { build, registerUser, bearer, type TestUser } from '../helper.js'
import { openSocket, socketProbe } from './support.js'

type App = Awaited<ReturnType<typeof build>>['app']
const signIn = async (app: App, user: TestUser, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
  const res = await app.inject({ method: 'POST', url: '/api/login', payload: { username: user.username, password: user.password, ...extra }, headers })
  return res.json().token as string
}
const list = (app: App, token: string, query = '') => app.inject({ url: `/api/me/sessions${query}`, headers: bearer(token) })

t.test('a sign-in whose audit record cannot be written leaves no session and no refresh token', async (t) => {
  const { app } = await build(t)
  const user = await registerUser(app)
  // A storage failure at the last of the sign-in's writes, as a full disk would cause.
  await sql`create trigger refuse_login_record before insert on security_events when new.event_type = 'login_success'
    begin select raise(abort, 'disk full'); end`.execute(app.db)
  const failed = await app.inject({ method: 'POST', url: '/api/login', payload: { username: user.username, password: user.password } })
  t.equal(failed.statusCode, 500)
  t.notMatch(failed.body, /disk full/, 'the storage error is not shown to the client')
  t.same(await app.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute(), [], 'no session was left behind')
  t.same(await app.db.selectFrom('refresh_tokens').select('id').where('user_id', '=', user.id).execute(), [], 'no refresh token was left behind')

  await sql`drop trigger refuse_login_record`.execute(app.db)
  const token = await signIn(app, user)
  t.equal((await list(app, token)).json().items.length, 1, 'the next sign-in works and its session is the only one')
})

t.test('a sign-in whose account is deleted before its session is written is refused, not a 500', async (t) => {
  const { app, logs } = await build(t)
  const user = await registerUser(app)
  await app.inject({ method: 'POST', url: '/api/login', payload: { username: user.username, password: 'not the password' } })
  // The sign-in clears that failed attempt once its password is right, and then writes its
  // session: the account goes in between, as a deletion racing with the sign-in does.
  await sql`create trigger delete_during_login after update of failed_login_attempts on users when new.failed_login_attempts = 0
    begin delete from users where id = new.id; end`.execute(app.db)
  const res = await app.inject({ method: 'POST', url: '/api/login', payload: { username: user.username, password: user.password } })
  t.equal(res.statusCode, 401)
  t.equal(res.json().code, 'invalid_credentials')
  t.same(await app.db.selectFrom('users').select('id').where('id', '=', user.id).execute(), [], 'the account is gone')
  t.same(await app.db.selectFrom('sessions').select('id').execute(), [], 'no session was left behind')
  t.notOk(logs.some((line) => /"level":50/.test(line)), 'nothing was logged as a server error')
})

t.test('the session list shows only the caller’s live sessions, newest first, with labels', async (t) => {
  const { app } = await build(t)
  const alice = await registerUser(app)
  const bob = await registerUser(app)
  const phone = await signIn(app, alice, { deviceLabel: 'phone' })
  const laptop = await signIn(app, alice, { deviceLabel: 'laptop' })
  const gone = await signIn(app, alice)
  await app.inject({ method: 'POST', url: '/api/logout', headers: bearer(gone) })
  const bobs = await signIn(app, bob, { deviceLabel: 'bob-phone' })
  // Distinct creation times, so "newest first" is observable without waiting.
  const rows = await app.db.selectFrom('sessions').select(['id', 'device_label']).where('user_id', '=', alice.id).execute()
  for (const row of rows) await app.db.updateTable('sessions').set({ created_at: row.device_label === 'phone' ? 1000 : 2000 }).where('id', '=', row.id).execute()

  const res = await list(app, phone)
  t.equal(res.statusCode, 200)
  const { items, nextCursor } = res.json()
  t.equal(nextCursor, null)
  t.same(items.map((s: { deviceLabel: string }) => s.deviceLabel), ['laptop', 'phone'], 'newest first; the ended session is not listed')
  t.same(items.map((s: { current: boolean }) => s.current), [false, true])
  t.match(items[0], { id: /^[0-9a-f-]{36}$/, createdAt: Number, lastActivity: Number, expiresAt: Number })
  t.notOk('ipAddress' in items[0], 'no connection metadata without opt-in')
  const bobsList = (await list(app, bobs)).json().items
  t.same(bobsList.map((s: { deviceLabel: string }) => s.deviceLabel), ['bob-phone'], "never another user's sessions")
  t.equal((await list(app, laptop)).json().items.length, 2)

  const page1 = (await list(app, phone, '?limit=1')).json()
  t.equal(page1.items.length, 1)
  t.equal(page1.nextCursor, page1.items[0].id)
  const page2 = (await list(app, phone, `?limit=1&cursor=${page1.nextCursor}`)).json()
  t.same(page2.items.map((s: { deviceLabel: string }) => s.deviceLabel), ['phone'])
  t.equal(page2.nextCursor, null)
  const foreignCursor = await list(app, phone, `?cursor=${bobsList[0].id}`)
  t.equal(foreignCursor.statusCode, 400, "another user's session id is no cursor")
  for (const query of ['?limit=0', '?limit=101', '?limit=abc', '?cursor=' + 'x'.repeat(201)]) {
    t.equal((await list(app, phone, query)).statusCode, 400, query)
  }
})

t.test('address and user agent are kept and shown only for users who opted in', async (t) => {
  const { app } = await build(t)
  const user = await registerUser(app)
  await app.db.updateTable('users').set({ security_settings: JSON.stringify({ storeConnectionMetadata: true }) }).where('id', '=', user.id).execute()
  const token = await signIn(app, user, {}, { 'user-agent': 'QuietClient/1.0' })
  const item = (await list(app, token)).json().items[0]
  t.equal(item.ipAddress, '127.0.0.1')
  t.equal(item.userAgent, 'QuietClient/1.0')
  await app.db.updateTable('users').set({ security_settings: '{}' }).where('id', '=', user.id).execute()
  t.notOk('ipAddress' in (await list(app, token)).json().items[0], 'hidden again once the user opts out')

  const other = await registerUser(app)
  await signIn(app, other, {}, { 'user-agent': 'Tracker/2.0' })
  const row = await app.db.selectFrom('sessions').select(['ip_address', 'user_agent']).where('user_id', '=', other.id).executeTakeFirstOrThrow()
  t.same(row, { ip_address: null, user_agent: null }, 'not stored without opt-in')
})

t.test('revoking one session closes its sockets at once, is audited, and only touches that session', async (t) => {
  const { app, url } = await build(t, { listen: true, plugins: [socketProbe] })
  const alice = await registerUser(app)
  const bob = await registerUser(app)
  const main = await signIn(app, alice, { deviceLabel: 'main' })
  const stolen = await signIn(app, alice, { deviceLabel: 'stolen' })
  const bobs = await signIn(app, bob)
  const stolenSocket = await openSocket(url, stolen)
  const mainSocket = await openSocket(url, main)
  const stolenId = (await list(app, main)).json().items.find((s: { deviceLabel: string }) => s.deviceLabel === 'stolen').id
  const bobsId = (await list(app, bobs)).json().items[0].id

  const foreign = await app.inject({ method: 'DELETE', url: `/api/me/sessions/${bobsId}`, headers: bearer(main) })
  t.equal(foreign.statusCode, 404, "another user's session looks like no session")
  t.equal((await list(app, bobs)).statusCode, 200, 'and stays signed in')
  const unknown = await app.inject({ method: 'DELETE', url: '/api/me/sessions/00000000-0000-4000-8000-000000000000', headers: bearer(main) })
  t.equal(unknown.json().code, 'not_found')
  const malformed = await app.inject({ method: 'DELETE', url: '/api/me/sessions/not-a-uuid', headers: bearer(main) })
  t.equal(malformed.statusCode, 400)
  t.match(malformed.json().message, /id/)

  const res = await app.inject({ method: 'DELETE', url: `/api/me/sessions/${stolenId}`, headers: bearer(main) })
  t.equal(res.statusCode, 204)
  const closed = await stolenSocket.closed
  t.equal(closed.code, 4001)
  t.equal(closed.reason, 'revoked_by_user')
  t.equal((await list(app, stolen)).json().code, 'session_revoked')
  t.equal(mainSocket.ws.readyState, mainSocket.ws.OPEN, 'the current session carries on')
  t.equal((await app.inject({ method: 'DELETE', url: `/api/me/sessions/${stolenId}`, headers: bearer(main) })).statusCode, 404, 'twice is not found')
  const events = await app.db.selectFrom('security_events').select('event_data').where('user_id', '=', alice.id).where('event_type', '=', 'session_revoked').execute()
  t.equal(events.length, 1)
  t.match(events[0]!.event_data, stolenId)
  mainSocket.ws.close()
})

t.test('revoking all others keeps the current session and closes every other socket', async (t) => {
  const { app, url } = await build(t, { listen: true, plugins: [socketProbe] })
  const alice = await registerUser(app)
  const bob = await registerUser(app)
  const current = await signIn(app, alice)
  const others = [await signIn(app, alice), await signIn(app, alice)]
  const bobs = await signIn(app, bob)
  const sockets = await Promise.all(others.map((token) => openSocket(url, token)))
  const mine = await openSocket(url, current)
  const bobSocket = await openSocket(url, bobs)

  const res = await app.inject({ method: 'DELETE', url: '/api/me/sessions', headers: bearer(current) })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { revoked: 2 })
  for (const s of sockets) t.equal((await s.closed).code, 4001)
  for (const token of others) t.equal((await list(app, token)).json().code, 'session_revoked')
  t.equal((await list(app, current)).json().items.length, 1)
  t.equal(mine.ws.readyState, mine.ws.OPEN)
  t.equal(bobSocket.ws.readyState, bobSocket.ws.OPEN, "other users' sockets are untouched")
  t.equal((await list(app, bobs)).statusCode, 200)
  t.same((await app.inject({ method: 'DELETE', url: '/api/me/sessions', headers: bearer(current) })).json(), { revoked: 0 })
  mine.ws.close()
  bobSocket.ws.close()
})

t.test('session routes reject missing, malformed, tampered, alg none, expired and revoked credentials', async (t) => {
  const { app } = await build(t)
  const user = await registerUser(app)
  const live = await signIn(app, user)
  const ended = await signIn(app, user)
  await app.inject({ method: 'POST', url: '/api/logout', headers: bearer(ended) })
  const [header, payload] = live.split('.')
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
  const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 9999 })).toString('base64url')}.${live.split('.')[2]}`
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`
  const expired = app.jwt.sign({ sub: claims.sub, sid: claims.sid }, { expiresIn: '60s', clockTimestamp: Date.now() - 3600_000 } as never)
  const cases: Array<[Record<string, string>, string]> = [
    [{}, 'unauthorized'], [{ authorization: 'Bearer' }, 'invalid_token'], [bearer('a.b.c'), 'invalid_token'],
    [bearer(forged), 'invalid_token'], [bearer(none), 'invalid_token'], [bearer(expired), 'token_expired'], [bearer(ended), 'session_revoked']
  ]
  for (const [method, url] of [['GET', '/api/me/sessions'], ['DELETE', '/api/me/sessions'], ['DELETE', '/api/me/sessions/00000000-0000-4000-8000-000000000000']] as const) {
    for (const [headers, code] of cases) {
      const res = await app.inject({ method, url, headers })
      t.equal(res.statusCode, 401, `${method} ${url} ${code}`)
      t.equal(res.json().code, code, `${method} ${url} ${code}`)
    }
  }
  t.equal((await list(app, live)).statusCode, 200, 'the real session is unharmed')
})
