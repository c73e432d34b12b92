import t from 'tap'
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { build, login, registerUser, runScript, signedInUser, tempDir } from '../helper.js'
import { isRotatedLog } from '../../plugins/retention/log-files.js'

const DAY = 86_400_000

type App = Awaited<ReturnType<typeof build>>['app']

async function sessionsOf (app: App, userId: string) {
  return await app.db.selectFrom('sessions').select(['id', 'is_valid', 'expires_at']).where('user_id', '=', userId).orderBy('created_at').execute()
}

t.test('the purge deletes expired and invalidated sessions, and keeps live ones', async (t) => {
  const { app } = await build(t)
  const alice = await signedInUser(app)
  await login(app, alice)
  await login(app, alice)
  const [live, ended, expired] = await sessionsOf(app, alice.id)
  await app.db.updateTable('sessions').set({ is_valid: 0 }).where('id', '=', ended!.id).execute()
  await app.db.updateTable('sessions').set({ expires_at: Date.now() - 1 }).where('id', '=', expired!.id).execute()
  const counts = await app.retention.purge()
  t.equal(counts.sessions, 2)
  t.same((await sessionsOf(app, alice.id)).map((s) => s.id), [live!.id])
  t.equal((await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${alice.token}` } })).statusCode, 200, 'the live session still works')
})

t.test('the purge deletes security events past the audit retention, per type', async (t) => {
  const { app } = await build(t, { env: { AUDIT_RETENTION: '90d', AUDIT_RETENTION_BY_TYPE: 'login_success=7d' } })
  const alice = await signedInUser(app)
  const now = Date.now()
  const rows = await app.db.selectFrom('security_events').select(['id', 'event_type']).where('user_id', '=', alice.id).execute()
  t.same(rows.map((r) => r.event_type).sort(), ['login_success', 'register'])
  // Purged at a time 10 days on: the login (7 days) goes, the registration (90 days) stays.
  let counts = await app.retention.purge(now + 10 * DAY)
  t.equal(counts.securityEvents, 1)
  const left = await app.db.selectFrom('security_events').select('event_type').where('user_id', '=', alice.id).where('purged', '=', 0).execute()
  t.same(left.map((r) => r.event_type), ['register'])
  counts = await app.retention.purge(now + 91 * DAY)
  t.equal(counts.securityEvents, 1)
  t.same(await app.db.selectFrom('security_events').select('id').where('user_id', '=', alice.id).execute(), [])
  t.same((await app.audit.verify()).problems, [])
})

t.test('an unknown event type in AUDIT_RETENTION_BY_TYPE stops the server naming it', async (t) => {
  await t.rejects(build(t, { env: { AUDIT_RETENTION_BY_TYPE: 'login_sucess=7d' } }), /AUDIT_RETENTION_BY_TYPE: "login_sucess" is not an event type/)
  await t.rejects(build(t, { env: { AUDIT_RETENTION_BY_TYPE: 'login_success' } }), /AUDIT_RETENTION_BY_TYPE/)
})

t.test('the purge deletes rotated log files older than LOG_RETENTION, and nothing else', async (t) => {
  const logDir = join(tempDir(t), 'logs')
  mkdirSync(logDir, { recursive: true })
  const now = Date.now()
  const files: Record<string, number> = {
    'quietwire.log': 30, // the live log: never
    'quietwire.error.log': 30, // the live error log: never
    'quietwire.log.1': 20,
    'quietwire.log.2.gz': 20,
    'quietwire.log-20250101': 20,
    'quietwire.1.log': 20,
    'quietwire.error.log.1': 20,
    'quietwire.log.3': 2, // rotated but young
    'quietwire.db': 30, // not a log
    'other.log.1': 30, // another program's
    'quietwire.notes': 30
  }
  for (const [name, ageDays] of Object.entries(files)) {
    const path = join(logDir, name)
    writeFileSync(path, 'x')
    const at = (now - ageDays * DAY) / 1000
    utimesSync(path, at, at)
  }
  const { app } = await build(t, { env: { LOG_FILE: join(logDir, 'quietwire.log'), LOG_RETENTION: '14d' } })
  const counts = await app.retention.purge(now)
  t.equal(counts.logFiles, 5)
  const kept = Object.keys(files).filter((name) => existsSync(join(logDir, name))).sort()
  t.same(kept, ['other.log.1', 'quietwire.db', 'quietwire.error.log', 'quietwire.log', 'quietwire.log.3', 'quietwire.notes'])
  t.notOk(isRotatedLog('quietwire.error.log', 'quietwire.log'), 'the error log is not a rotation of the main log')
})

t.test('the scheduled purge runs on its interval, logs counts and never contents', async (t) => {
  const { app, logs } = await build(t, { env: { PURGE_INTERVAL: '1s', LOG_LEVEL: 'info' } })
  const alice = await registerUser(app, 'scheduledpurgeuser')
  const token = await login(app, alice)
  await app.inject({ method: 'POST', url: '/api/logout', headers: { authorization: `Bearer ${token}` } })
  let line: string | undefined
  for (let i = 0; i < 60 && line === undefined; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    line = logs.join('').split('\n').find((l) => l.includes('"msg":"retention purge"'))
  }
  t.ok(line, 'a purge ran')
  const parsed = JSON.parse(line!)
  t.same(Object.keys(parsed.purged).sort(), ['logFiles', 'messages', 'securityEvents', 'sessions'])
  t.ok(parsed.purged.sessions >= 1, 'the logged-out session went')
  t.notMatch(line!, /scheduledpurgeuser|[0-9a-f]{8}-[0-9a-f]{4}-/, 'no name or id in the log line')
})

t.test('npm run purge runs one purge against the configured database and prints counts', async (t) => {
  const { app, dataDir } = await build(t)
  const alice = await signedInUser(app)
  await app.db.updateTable('sessions').set({ is_valid: 0 }).where('user_id', '=', alice.id).execute()
  // The server is still running: the command works beside it.
  const run = runScript('purge', [], { DATA_DIR: dataDir, LOG_LEVEL: 'warn' })
  t.equal(run.status, 0, run.stderr)
  const out = JSON.parse(run.stdout.trim().split('\n').at(-1)!)
  t.equal(out.purged.sessions, 1)
  t.same(await sessionsOf(app, alice.id), [])
})
