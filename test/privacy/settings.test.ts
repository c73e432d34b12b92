import t from 'tap'
import { bearer, build, login, signedInUser } from '../helper.js'

t.test('GET /api/me shows the profile and the privacy defaults', async (t) => {
  const { app } = await build(t)
  const user = await signedInUser(app)
  const res = await app.inject({ method: 'GET', url: '/api/me', headers: bearer(user.token) })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.id, user.id)
  t.equal(body.username, user.username)
  t.equal(body.publicKey, user.publicKey.toString('base64'))
  t.same(body.settings, { dataRetentionDays: 30, presenceVisible: true, storeConnectionMetadata: false })
  t.notOk('passwordHash' in body || 'password_hash' in body, 'no credential in the profile')
  t.equal((await app.inject({ method: 'GET', url: '/api/me' })).statusCode, 401)
  t.equal((await app.inject({ method: 'GET', url: '/api/me', headers: bearer('nope') })).json().code, 'invalid_token')
})

t.test('PATCH /api/me/settings validates strictly and names the problem', async (t) => {
  const { app } = await build(t)
  const user = await signedInUser(app)
  const patch = (payload: unknown) => app.inject({ method: 'PATCH', url: '/api/me/settings', headers: bearer(user.token), payload: payload as object })
  const bad = [
    [{ dataRetentionDays: 0 }, 'dataRetentionDays'],
    [{ dataRetentionDays: 366 }, 'dataRetentionDays'],
    [{ dataRetentionDays: '30' }, 'dataRetentionDays'],
    [{ dataRetentionDays: 1.5 }, 'dataRetentionDays'],
    [{ presenceVisible: 'false' }, 'presenceVisible'],
    [{ storeConnectionMetadata: 1 }, 'storeConnectionMetadata'],
    [{}, 'properties']
  ] as const
  for (const [payload, name] of bad) {
    const res = await patch(payload)
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.equal(res.json().code, 'validation_failed')
    t.match(res.json().message, name, `message names ${name}`)
  }
  const notJson = await app.inject({ method: 'PATCH', url: '/api/me/settings', headers: { ...bearer(user.token), 'content-type': 'application/json' }, payload: '{"dataRetentionDays":' })
  t.equal(notJson.statusCode, 400)
  t.equal(notJson.json().code, 'invalid_json')
  const arr = await patch([1, 2])
  t.equal(arr.statusCode, 400)

  const ok = await patch({ dataRetentionDays: 7, presenceVisible: false, isAdmin: true })
  t.equal(ok.statusCode, 200)
  t.same(ok.json(), { dataRetentionDays: 7, presenceVisible: false, storeConnectionMetadata: false })
  const row = await app.db.selectFrom('users').select(['data_retention_days', 'security_settings']).where('id', '=', user.id).executeTakeFirstOrThrow()
  t.equal(row.data_retention_days, 7)
  t.notMatch(row.security_settings, /isAdmin/, 'unknown fields are not stored')
  t.same((await app.inject({ method: 'GET', url: '/api/me', headers: bearer(user.token) })).json().settings, ok.json())
})

t.test('a settings change is emitted on the bus and recorded', async (t) => {
  const { app } = await build(t)
  const user = await signedInUser(app)
  const seen: string[] = []
  app.events.on('user.settings_changed', ({ userId }) => seen.push(userId))
  await app.inject({ method: 'PATCH', url: '/api/me/settings', headers: bearer(user.token), payload: { presenceVisible: false } })
  t.same(seen, [user.id])
  // The same value again changes nothing and says nothing.
  await app.inject({ method: 'PATCH', url: '/api/me/settings', headers: bearer(user.token), payload: { presenceVisible: false } })
  t.same(seen, [user.id])
  const events = (await app.inject({ method: 'GET', url: '/api/me/security-events', headers: bearer(user.token) })).json().items
  t.same(events[0].type, 'settings_changed')
  t.same(events[0].data, { presenceVisible: false })
})

t.test('connection metadata is stored only with the opt-in, and erased when it is withdrawn', async (t) => {
  const { app } = await build(t)
  const user = await signedInUser(app)
  const ua = { 'user-agent': 'MetadataProbe/1.0' }
  const stored = async () => {
    const sessions = await app.db.selectFrom('sessions').select(['ip_address', 'user_agent']).where('user_id', '=', user.id).execute()
    const events = await app.db.selectFrom('security_events').select('ip_address').where('user_id', '=', user.id).execute()
    return [...sessions.flatMap((s) => [s.ip_address, s.user_agent]), ...events.map((e) => e.ip_address)].filter((v) => v !== null)
  }
  await app.inject({ method: 'POST', url: '/api/login', headers: ua, payload: { username: user.username, password: user.password } })
  await app.inject({ method: 'POST', url: '/api/login', headers: ua, payload: { username: user.username, password: 'wrong-password-1' } })
  t.same(await stored(), [], 'nothing without the opt-in')

  const optIn = await app.inject({ method: 'PATCH', url: '/api/me/settings', headers: bearer(user.token), payload: { storeConnectionMetadata: true } })
  t.equal(optIn.json().storeConnectionMetadata, true)
  await app.inject({ method: 'POST', url: '/api/login', headers: ua, payload: { username: user.username, password: user.password } })
  await app.inject({ method: 'POST', url: '/api/login', headers: ua, payload: { username: user.username, password: 'wrong-password-1' } })
  const kept = await stored()
  t.ok(kept.includes('MetadataProbe/1.0'), 'user agent kept with the opt-in')
  t.ok(kept.includes('127.0.0.1'), 'address kept with the opt-in')

  const token = await login(app, user)
  const optOut = await app.inject({ method: 'PATCH', url: '/api/me/settings', headers: bearer(token), payload: { storeConnectionMetadata: false } })
  t.equal(optOut.statusCode, 200)
  t.same(await stored(), [], 'withdrawing the opt-in erases what it allowed')
  const verify = await app.audit.verify()
  t.same(verify.problems, [], 'erasing addresses does not break the audit chain')
})
