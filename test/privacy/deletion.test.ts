import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { bearer, build, login, registerUser, signedInUser, tempDir } from '../helper.js'
import { restoreEncryptedBackup, writeEncryptedBackup } from '../../plugins/retention/backup-format.js'
import { appCode, enableTwoFactor } from '../auth/support.js'

type App = Awaited<ReturnType<typeof build>>['app']

/** Every table of the database, found through sqlite_master: tables added later are covered too. */
async function rowsMentioning (app: App, needle: string): Promise<string[]> {
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(app.db)
  const found: string[] = []
  for (const { name } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(app.db)
    for (const row of rows.rows) {
      if (Object.values(row).some((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : String(v)).includes(needle))) found.push(`${name}: ${JSON.stringify(row)}`)
    }
  }
  return found
}

/** Which of `needles` occur in the bytes of the files of `dir` (database, WAL, shared memory, backups). */
function filesContaining (dir: string, needles: Record<string, Buffer>): string[] {
  const hits: string[] = []
  for (const name of readdirSync(dir)) {
    let bytes: Buffer
    try { bytes = readFileSync(join(dir, name)) } catch { continue }
    for (const [what, needle] of Object.entries(needles)) if (bytes.includes(needle)) hits.push(`${what} in ${name}`)
  }
  return hits
}

t.test('DELETE /api/me removes the user and everything that refers to them, down to the bytes on disk', async (t) => {
  const { app, dataDir } = await build(t)
  const marker = randomBytes(6).toString('hex')
  const alice = await signedInUser(app, `gone${marker}`)
  const bob = await signedInUser(app)
  // Leave as many traces as the account can: opted-in metadata, several sessions, events, settings.
  await app.inject({ method: 'PATCH', url: '/api/me/settings', headers: bearer(alice.token), payload: { storeConnectionMetadata: true, dataRetentionDays: 287, presenceVisible: false } })
  const userAgent = `MarkerAgent/${marker}`
  const deviceLabel = `device-${marker}`
  const token = await login(app, alice, { deviceLabel })
  await app.inject({ method: 'POST', url: '/api/login', headers: { 'user-agent': userAgent }, payload: { username: alice.username, password: alice.password } })
  await app.inject({ method: 'POST', url: '/api/login', payload: { username: alice.username, password: 'not-the-password-1' } })
  t.ok((await rowsMentioning(app, userAgent)).length > 0, 'the marker was stored before the deletion')
  const deleted: string[] = []
  app.events.on('user.deleted', ({ userId }) => deleted.push(userId))

  const res = await app.inject({ method: 'DELETE', url: '/api/me', headers: bearer(token), payload: { password: alice.password } })
  t.equal(res.statusCode, 204, res.body)
  t.same(deleted, [alice.id], 'user.deleted was emitted so the relay closes sockets and others see them go')

  t.same(await rowsMentioning(app, alice.id), [], 'no row anywhere refers to the deleted id')
  for (const needle of [alice.username, alice.publicKey.toString('base64'), userAgent, deviceLabel]) {
    t.same(await rowsMentioning(app, needle), [], `no row holds ${needle}`)
  }
  const needles = {
    id: Buffer.from(alice.id),
    username: Buffer.from(alice.username),
    'username lower-cased': Buffer.from(alice.username.toLowerCase()),
    'public key (base64)': Buffer.from(alice.publicKey.toString('base64')),
    'public key (bytes)': alice.publicKey,
    'user agent marker': Buffer.from(userAgent),
    'device label marker': Buffer.from(deviceLabel)
  }
  t.same(filesContaining(dataDir, needles), [], 'not in the database file, its WAL or shared memory')

  // Backups written afterwards: a plain online copy and an encrypted one, decrypted again.
  const backups = tempDir(t)
  await app.storage.backup(join(backups, 'copy.db'))
  const key = { key: randomBytes(32) }
  await writeEncryptedBackup(app.storage.serialize(), join(backups, 'backup.qwbackup'), key)
  await restoreEncryptedBackup(join(backups, 'backup.qwbackup'), join(backups, 'restored.db'), key)
  t.same(filesContaining(backups, needles), [], 'not in backups taken after the deletion')

  // What is left: a deletion event with no reference to the account, and intact chains.
  const systemEvents = await app.db.selectFrom('security_events').selectAll().where('user_id', 'is', null).where('event_type', '=', 'account_deleted').execute()
  t.equal(systemEvents.length, 1)
  t.equal(systemEvents[0]!.event_data, '{}')
  t.same((await app.audit.verify()).problems, [])

  t.equal((await app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) })).statusCode, 401, 'the token is dead')
  t.equal((await app.inject({ method: 'GET', url: '/api/me', headers: bearer(bob.token) })).statusCode, 200, 'other users carry on')
  t.same((await app.inject({ method: 'GET', url: `/api/users/${alice.id}/key`, headers: bearer(bob.token) })).json().code, 'not_found')
  const again = await registerUser(app, alice.username)
  t.not(again.id, alice.id, 'the username can be registered again')
})

t.test('DELETE /api/me refuses without the right password, and bad bodies clearly', async (t) => {
  const { app } = await build(t)
  const alice = await signedInUser(app)
  const del = (payload?: unknown, headers: Record<string, string> = bearer(alice.token)) =>
    app.inject({ method: 'DELETE', url: '/api/me', headers, ...(payload === undefined ? {} : { payload: payload as object }) })
  const wrong = await del({ password: 'not-the-password-1' })
  t.equal(wrong.statusCode, 401)
  t.equal(wrong.json().code, 'invalid_credentials')
  for (const [payload, name] of [[{}, 'password'], [{ password: '' }, 'password'], [{ password: 12345 }, 'password'], [{ password: alice.password, code: 123456 }, 'code']] as const) {
    const res = await del(payload)
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.match(res.json(), { code: 'validation_failed', message: new RegExp(name) })
  }
  const empty = await del()
  t.equal(empty.statusCode, 400, 'no body at all')
  const text = await app.inject({ method: 'DELETE', url: '/api/me', headers: { ...bearer(alice.token), 'content-type': 'text/plain' }, payload: alice.password })
  t.equal(text.statusCode, 415)
  t.equal((await del({ password: alice.password }, {})).statusCode, 401, 'no token')
  t.equal((await del({ password: alice.password }, bearer('garbage'))).json().code, 'invalid_token')
  t.ok(await app.auth.findUserById(alice.id), 'still there after every refusal')
  t.equal((await app.inject({ method: 'GET', url: '/api/me', headers: bearer(alice.token) })).statusCode, 200)
})

t.test('guessing the password through DELETE /api/me is rate limited', async (t) => {
  const { app } = await build(t, { env: { AUTH_RATE_LIMIT_MAX: '3' } })
  const alice = await signedInUser(app)
  const codes: number[] = []
  for (let i = 0; i < 5; i++) {
    codes.push((await app.inject({ method: 'DELETE', url: '/api/me', headers: bearer(alice.token), payload: { password: `guess-number-${i}` } })).statusCode)
  }
  t.same(codes, [401, 401, 401, 429, 429])
})

t.test('with two-factor authentication on, DELETE /api/me also needs the current code', async (t) => {
  const { app } = await build(t)
  const alice = await signedInUser(app)
  const { secret } = await enableTwoFactor(app, alice.token, alice.password)
  const del = (payload: object) => app.inject({ method: 'DELETE', url: '/api/me', headers: bearer(alice.token), payload })
  const noCode = await del({ password: alice.password })
  t.equal(noCode.statusCode, 401)
  t.match(noCode.json().code, /totp_required|invalid_credentials/)
  const wrongCode = await del({ password: alice.password, code: appCode(secret) === '000000' ? '111111' : '000000' })
  t.equal(wrongCode.statusCode, 401)
  t.ok(await app.auth.findUserById(alice.id), 'still there')
  const ok = await del({ password: alice.password, code: appCode(secret) })
  t.equal(ok.statusCode, 204, ok.body)
  t.notOk(await app.auth.findUserById(alice.id))
})
