import t from 'tap'
import { createSigner } from 'fast-jwt'
import { build, signedInUser, bearer } from '../helper.js'

/**
 * Every route the OpenAPI document marks as needing a bearer token, tried with every kind of bad
 * credential. Driven by the document, so a route added later is covered without editing this file.
 */
t.test('every authenticated path rejects missing, malformed, tampered, alg:none, expired and revoked tokens', async (t) => {
  const { app } = await build(t, { env: { RATE_LIMIT_MAX: '100000', AUTH_RATE_LIMIT_MAX: '100000' } })
  const alice = await signedInUser(app, 'alice')
  const [header, payload, signature] = alice.token.split('.') as [string, string, string]
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const sign = (key: string, extra: object = {}) => createSigner({ key, algorithm: 'HS256', expiresIn: 3600_000, ...extra })
  const secret = app.config.jwtSecret

  const cases: Array<[string, Record<string, string>, string]> = [
    ['missing', {}, 'unauthorized'],
    ['not bearer', { authorization: `Basic ${alice.token}` }, 'invalid_token'],
    ['garbage', bearer('garbage'), 'invalid_token'],
    ['tampered payload', bearer(`${header}.${b64({ ...claims, sub: crypto.randomUUID() })}.${signature}`), 'invalid_token'],
    ['tampered signature', bearer(`${header}.${payload}.${signature.slice(0, -4)}AAAA`), 'invalid_token'],
    ['alg none', bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`), 'invalid_token'],
    ['signed with another key', bearer(sign('another secret of enough length, 1234567')({ sub: claims.sub, sid: claims.sid })), 'invalid_token'],
    ['expired', bearer(sign(secret, { clockTimestamp: Date.now() - 7200_000 })({ sub: claims.sub, sid: claims.sid })), 'token_expired'],
    ['unknown session', bearer(sign(secret)({ sub: claims.sub, sid: 'no-such-session' })), 'session_revoked'],
    ['session of another user', bearer(sign(secret)({ sub: crypto.randomUUID(), sid: claims.sid })), 'session_revoked']
  ]

  const document = app.swagger() as { paths: Record<string, Record<string, { security?: unknown[] }>> }
  const guarded = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).filter(([, op]) => (op.security ?? []).length > 0)
      .map(([method, _op]) => [method.toUpperCase(), path.replace(/\{[^}]+\}/g, crypto.randomUUID())] as const))
  t.ok(guarded.length >= 3, `found ${guarded.length} authenticated routes`)

  for (const [method, url] of guarded) {
    for (const [name, headers, code] of cases) {
      const res = await app.inject({ method: method as 'GET', url, headers })
      t.equal(res.statusCode, 401, `${name}: ${method} ${url}`)
      t.equal(res.json().code, code, `${name}: ${method} ${url}`)
    }
  }

  await app.inject({ method: 'POST', url: '/api/logout', headers: bearer(alice.token) })
  for (const [method, url] of guarded) {
    const res = await app.inject({ method: method as 'GET', url, headers: bearer(alice.token) })
    t.equal(res.statusCode, 401, `logged out: ${method} ${url}`)
    t.equal(res.json().code, 'session_revoked', `logged out: ${method} ${url}`)
  }
})
