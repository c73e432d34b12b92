import t from 'tap'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { runScript, tempDir } from '../helper.js'
import { migrations } from '../../db/migrations/index.js'

const migrate = (env: Record<string, string>) => runScript('migrate', [], env)

t.test('npm run migrate applies every migration once, then has nothing to do', async (t) => {
  const dir = tempDir(t)
  const first = migrate({ DATA_DIR: dir, NODE_ENV: 'test' })
  t.equal(first.status, 0, first.stderr)
  t.equal(first.stdout.trim(), `applied ${Object.keys(migrations).join(', ')}`)
  const db = new SQLite(join(dir, 'quietwire.db'), { readonly: true })
  const tables = db.prepare("select name from sqlite_master where type = 'table'").all().map((r) => (r as { name: string }).name)
  db.close()
  t.ok(tables.includes('users') && tables.includes('sessions') && tables.includes('security_events'))
  const second = migrate({ DATA_DIR: dir, NODE_ENV: 'test' })
  t.equal(second.stdout.trim(), 'already up to date')
})

t.test('a bad configuration is reported in one line', async (t) => {
  const run = migrate({ DATA_DIR: tempDir(t), ARGON2_TIME_COST: 'lots' })
  t.equal(run.status, 1)
  t.match(run.stderr, /^quietwire migrate: Invalid ARGON2_TIME_COST="lots"/)
})
