import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { build, registerUser, bearer } from './helper.js'

/** Every byte of every file in the data directory (database, WAL, anything else). */
function dataDirBytes (dir: string): string {
  return readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('\n')
}

t.test('neither the database nor the logs hold a password, a bearer token or its token id', async (t) => {
  const { app, dataDir, logs } = await build(t)
  const user = await registerUser(app, 'secretive')
  const login = await app.inject({ method: 'POST', url: '/api/login', payload: { username: 'secretive', password: user.password }, headers: { 'user-agent': 'marker-agent/1.0' } })
  const { token } = login.json()
  const tokenId: string = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid
  await app.inject({ url: '/api/users/online', headers: bearer(token) })
  await app.inject({ method: 'POST', url: '/api/login', payload: { username: 'secretive', password: 'a wrong password given' } })
  await app.inject({ method: 'POST', url: '/api/register', payload: { username: 'other', password: 'password123', publicKey: 'x' } })
  app.log.info({ password: 'logged-by-mistake-pw', token: 'logged-by-mistake-tk', body: { password: 'nested-pw' } }, 'careless line')

  const stored = dataDirBytes(dataDir)
  const logged = logs.join('\n')
  t.ok(logged.includes('incoming request'), 'the logs were captured')
  for (const [what, secret] of [['password', user.password], ['token', token], ['token signature', token.split('.')[2]!], ['token id', tokenId], ['wrong password', 'a wrong password given'], ['user agent (not opted in)', 'marker-agent']]) {
    t.notOk(stored.includes(secret), `no ${what} in the data directory`)
    t.notOk(logged.includes(secret), `no ${what} in the logs`)
  }
  for (const secret of ['logged-by-mistake-pw', 'logged-by-mistake-tk', 'nested-pw']) {
    t.notOk(logged.includes(secret), `redacted: ${secret}`)
  }
  // The client address appears only in the failed-login line that fail2ban reads.
  const withAddress = logs.filter((line) => line.includes('127.0.0.1'))
  t.ok(withAddress.length > 0 && withAddress.every((line) => /login failed from 127\.0\.0\.1/.test(line)), 'addresses only in the fail2ban line')
  t.ok(logged.includes('[redacted]'))
})
