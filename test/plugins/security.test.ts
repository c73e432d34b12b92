import t from 'tap'
import { build, signedInUser, registerUser, bearer } from '../helper.js'

t.test('responses carry a strict CSP, HSTS and no-sniff', async (t) => {
  const { app } = await build(t)
  const res = await app.inject('/healthz')
  t.match(res.headers['content-security-policy'], /default-src 'none'/)
  t.match(res.headers['content-security-policy'], /frame-ancestors 'none'/)
  t.match(res.headers['strict-transport-security'], /max-age=31536000; includeSubDomains/)
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.equal(res.headers['referrer-policy'], 'no-referrer')
})

t.test('CORS allows CLIENT_URL and no other origin', async (t) => {
  const { app } = await build(t, { env: { CLIENT_URL: 'https://chat.example.org' } })
  const preflight = (origin: string) => app.inject({
    method: 'OPTIONS', url: '/api/login', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' }
  })
  const allowed = await preflight('https://chat.example.org')
  t.equal(allowed.headers['access-control-allow-origin'], 'https://chat.example.org')
  const denied = await preflight('https://evil.example.com')
  t.not(denied.headers['access-control-allow-origin'], 'https://evil.example.com')
  t.not(denied.headers['access-control-allow-origin'], '*')
})

t.test('login is limited per client address, with Retry-After', async (t) => {
  const { app } = await build(t, { env: { AUTH_RATE_LIMIT_MAX: '3' } })
  const attempt = (username: string) => app.inject({ method: 'POST', url: '/api/login', payload: { username, password: 'wrong wrong wrong' }, remoteAddress: '198.51.100.7' })
  for (let i = 0; i < 3; i++) t.equal((await attempt(`name${i}`)).statusCode, 401)
  const limited = await attempt('name9')
  t.equal(limited.statusCode, 429)
  t.equal(limited.json().code, 'rate_limited')
  t.ok(Number(limited.headers['retry-after']) > 0)
  const elsewhere = await app.inject({ method: 'POST', url: '/api/login', payload: { username: 'x1', password: 'wrong wrong wrong' }, remoteAddress: '203.0.113.9' })
  t.equal(elsewhere.statusCode, 401, 'another address is not limited')
})

t.test('login is limited per username across addresses', async (t) => {
  const { app } = await build(t, { env: { AUTH_RATE_LIMIT_MAX: '3', LOCKOUT_MAX_ATTEMPTS: '100' } })
  await registerUser(app, 'target')
  const codes = []
  for (let i = 0; i < 4; i++) {
    const res = await app.inject({ method: 'POST', url: '/api/login', payload: { username: 'TARGET', password: 'wrong wrong wrong' }, remoteAddress: `192.0.2.${i + 1}` })
    codes.push(res.statusCode)
  }
  t.same(codes, [401, 401, 401, 429])
})

t.test('the global limit counts per user when signed in', async (t) => {
  const { app } = await build(t, { env: { RATE_LIMIT_MAX: '5', AUTH_RATE_LIMIT_MAX: '50' } })
  const alice = await signedInUser(app, 'alice')
  const bob = await signedInUser(app, 'bob')
  const get = (token: string) => app.inject({ url: '/api/users/online', headers: bearer(token) })
  for (let i = 0; i < 5; i++) t.equal((await get(alice.token)).statusCode, 200)
  const limited = await get(alice.token)
  t.equal(limited.statusCode, 429)
  t.equal(limited.json().code, 'rate_limited')
  t.equal((await get(bob.token)).statusCode, 200, 'another user from the same address carries on')
})

t.test('unknown routes are 404 in the error shape, and rate limited too', async (t) => {
  const { app } = await build(t, { env: { RATE_LIMIT_MAX: '2' } })
  const first = await app.inject('/api/nothing-here?token=secret')
  t.equal(first.statusCode, 404)
  t.same(first.json(), { statusCode: 404, code: 'route_not_found', error: 'Not Found', message: 'No route GET /api/nothing-here' })
  await app.inject('/nothing')
  t.equal((await app.inject('/nothing')).statusCode, 429)
})

t.test('TRUST_PROXY makes limits see the forwarded client address', async (t) => {
  const { buildServer } = await import('../../app.js')
  const { loadConfig } = await import('../../plugins/config.js')
  const { tempDir, FAST_ARGON2 } = await import('../helper.js')
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: tempDir(t), LOG_LEVEL: 'silent', AUTH_RATE_LIMIT_MAX: '1', ...FAST_ARGON2 })
  const app = buildServer({ config }, { trustProxy: '127.0.0.1' })
  t.teardown(() => app.close())
  await app.ready()
  const attempt = (client: string) => app.inject({ method: 'POST', url: '/api/login', payload: { username: `u-${client}`, password: 'wrong wrong wrong' }, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } })
  t.equal((await attempt('198.51.100.1')).statusCode, 401)
  t.equal((await attempt('198.51.100.2')).statusCode, 401, 'a second client behind the proxy has its own budget')
  t.equal((await attempt('198.51.100.1')).statusCode, 429)
})
