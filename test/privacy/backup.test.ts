import t, { type Test } from 'tap'
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { bearer, build, runScript, signedInUser, tempDir } from '../helper.js'
import { BackupError, restoreEncryptedBackup, writeEncryptedBackup } from '../../plugins/retention/backup-format.js'
import { writeRotatingBackup } from '../../plugins/retention/backup-schedule.js'
import type { BackupSecret } from '../../plugins/retention/backup-key.js'

const KEY = randomBytes(32)
const keySecret: BackupSecret = { key: KEY }
// Cheap Argon2id: the tests check the format, not the cost.
const passSecret = (passphrase: string): BackupSecret => ({ passphrase, memoryKib: 64, timeCost: 1 })


/** A backup of `plaintext` in a fresh directory, and a destination that already holds something. */
async function fixture (t: Test, plaintext: Buffer, secret: BackupSecret = keySecret) {
  const dir = tempDir(t)
  const file = join(dir, 'backup.qwbackup')
  await writeEncryptedBackup(plaintext, file, secret)
  const target = join(dir, 'current.db')
  writeFileSync(target, 'the current database')
  return { dir, file, target }
}

/** Asserts the restore was refused with `message` and left the destination and directory as they were. */
async function refused (t: Test, f: { dir: string, file: string, target: string }, secret: BackupSecret, message: RegExp) {
  const before = readdirSync(f.dir).sort()
  let error: unknown
  try { await restoreEncryptedBackup(f.file, f.target, secret) } catch (err) { error = err }
  t.ok(error instanceof BackupError, `refused as a BackupError: ${String(error)}`)
  t.match((error as Error | undefined)?.message, message)
  t.equal(readFileSync(f.target, 'utf8'), 'the current database', 'nothing overwritten')
  t.same(readdirSync(f.dir).sort(), before, 'no partial file left behind')
}

t.test('round trip with a key and with a passphrase, over several chunks', async (t) => {
  const plaintext = randomBytes(200_000)
  for (const secret of [keySecret, passSecret('correct horse battery')]) {
    const f = await fixture(t, plaintext, secret)
    t.equal(statSync(f.file).mode & 0o777, 0o600, 'the backup is readable by its owner only')
    t.notOk(readFileSync(f.file).includes(plaintext.subarray(0, 64)), 'no plaintext in the file')
    t.equal(await restoreEncryptedBackup(f.file, f.target, secret), plaintext.length)
    t.ok(readFileSync(f.target).equals(plaintext))
  }
  const empty = await fixture(t, Buffer.alloc(0))
  t.equal(await restoreEncryptedBackup(empty.file, empty.target, keySecret), 0)
})

t.test('a flipped byte anywhere is refused and nothing is overwritten', async (t) => {
  const plaintext = randomBytes(150_000)
  const f = await fixture(t, plaintext)
  const original = readFileSync(f.file)
  const positions = [8, 9, 20, 40, 100, 70_000, original.length - 1]
  for (const at of positions) {
    const bytes = Buffer.from(original)
    bytes[at]! ^= 0x01
    writeFileSync(f.file, bytes)
    await refused(t, f, keySecret, at === 8 ? /version/ : /damaged|wrong|altered|truncated/)
  }
  writeFileSync(f.file, original)
  t.equal(await restoreEncryptedBackup(f.file, f.target, keySecret), plaintext.length, 'the unaltered file still restores')
})

t.test('a truncated file, a file with bytes appended and a foreign file are refused', async (t) => {
  const f = await fixture(t, randomBytes(150_000))
  const length = statSync(f.file).size
  const original = readFileSync(f.file)
  for (const cut of [0, 5, 12, 40, 70_000, length - 1]) {
    writeFileSync(f.file, original)
    truncateSync(f.file, cut)
    await refused(t, f, keySecret, cut < 8 ? /not a quietwire backup/ : /truncated/)
  }
  // Cut exactly at a chunk boundary: every chunk present authenticates, but the final one is missing.
  const firstChunk = original.readUInt32BE(8 + 1 + 1 + 24)
  writeFileSync(f.file, original.subarray(0, 8 + 1 + 1 + 24 + 4 + firstChunk))
  await refused(t, f, keySecret, /truncated/)
  writeFileSync(f.file, Buffer.concat([original, Buffer.from('extra')]))
  await refused(t, f, keySecret, /after its final chunk/)
  writeFileSync(f.file, 'SQLite format 3\u0000 or anything else')
  await refused(t, f, keySecret, /not a quietwire backup/)
  await t.rejects(restoreEncryptedBackup(join(f.dir, 'missing'), f.target, keySecret), /cannot read/)
})

t.test('a wrong key or passphrase is refused, saying so', async (t) => {
  const byKey = await fixture(t, randomBytes(1000))
  await refused(t, byKey, { key: randomBytes(32) }, /key or passphrase is wrong/)
  await refused(t, byKey, passSecret('some passphrase here'), /encrypted with a key .*: set BACKUP_KEY/)
  const byPass = await fixture(t, randomBytes(1000), passSecret('the right passphrase'))
  await refused(t, byPass, passSecret('the wrong passphrase'), /key or passphrase is wrong/)
  await refused(t, byPass, keySecret, /encrypted with a passphrase .*: set BACKUP_PASSPHRASE/)
  // The KDF costs in the header are authenticated: raising them is caught, and absurd ones are refused unread.
  const original = readFileSync(byPass.file)
  const costs = Buffer.from(original)
  costs.writeUInt32BE(0xffffffff, 8 + 1 + 1 + 16)
  writeFileSync(byPass.file, costs)
  await refused(t, byPass, passSecret('the right passphrase'), /out of bounds/)
})

t.test('scheduled backups keep the newest N', async (t) => {
  const dir = tempDir(t)
  const start = Date.UTC(2026, 0, 1)
  const files: string[] = []
  for (let i = 0; i < 5; i++) {
    const { file } = await writeRotatingBackup(() => Buffer.from(`snapshot ${i}`), dir, 3, keySecret, start + i * 3_600_000)
    files.push(file)
  }
  t.same(readdirSync(dir).sort(), files.slice(2).map((f) => f.split('/').at(-1)).sort())
  const restored = join(tempDir(t), 'r.db')
  await restoreEncryptedBackup(files[4]!, restored, keySecret)
  t.equal(readFileSync(restored, 'utf8'), 'snapshot 4')
})

t.test('the server writes scheduled backups only with a key, and they restore', async (t) => {
  await t.rejects(build(t, { env: { BACKUP_INTERVAL: '1s' } }), /neither BACKUP_KEY nor BACKUP_PASSPHRASE/)
  const backupDir = tempDir(t)
  const { app, logs } = await build(t, { env: { BACKUP_INTERVAL: '1s', BACKUP_KEY: KEY.toString('base64'), BACKUP_DIR: backupDir, BACKUP_KEEP: '2' } })
  const alice = await signedInUser(app)
  // The log line follows the file's rename and the rotation, so wait for it rather than for the file.
  for (let i = 0; i < 60 && !logs.join('').includes('scheduled backup written'); i++) await new Promise((resolve) => setTimeout(resolve, 50))
  const [name] = readdirSync(backupDir)
  t.ok(name, 'a backup was written')
  t.match(logs.join(''), /scheduled backup written/)
  const restored = join(tempDir(t), 'restored.db')
  await restoreEncryptedBackup(join(backupDir, name!), restored, keySecret)
  t.ok(readFileSync(restored).includes(Buffer.from(alice.username)), 'the backup holds the database')
})

t.test('npm run backup copies the running server\'s database; npm run restore brings it back or refuses', async (t) => {
  const { app, dataDir } = await build(t)
  const alice = await signedInUser(app)
  await app.inject({ method: 'PATCH', url: '/api/me/settings', headers: bearer(alice.token), payload: { dataRetentionDays: 123 } })
  const out = join(tempDir(t), 'nightly.qwbackup')
  const env = { DATA_DIR: dataDir, BACKUP_KEY: KEY.toString('base64') }

  const noKey = runScript('backup', ['--out', out], { DATA_DIR: dataDir })
  t.equal(noKey.status, 1)
  t.match(noKey.stderr, /set BACKUP_KEY .* or BACKUP_PASSPHRASE/)
  t.notOk(existsSync(out))

  const backup = runScript('backup', ['--out', out], env)
  t.equal(backup.status, 0, backup.stderr)
  t.ok(existsSync(out))
  const again = runScript('backup', ['--out', out], env)
  t.equal(again.status, 1, 'an existing file is never overwritten')
  t.match(again.stderr, /exists/)

  const live = runScript('restore', ['--in', out], env)
  t.equal(live.status, 1, 'the running server\'s own database is not replaced under it')
  t.match(live.stderr, /^quietwire: .*quietwire\.db is in use, by a running server or another process: stop it first; nothing was restored\n$/)
  const me = await app.inject({ method: 'GET', url: '/api/me', headers: bearer(alice.token) })
  t.equal(me.statusCode, 200, 'and the server carries on with its data')
  t.equal(me.json().username, alice.username)

  const target = join(tempDir(t), 'restored.db')
  writeFileSync(target, 'old database')
  const flipped = join(tempDir(t), 'flipped.qwbackup')
  const bytes = readFileSync(out)
  bytes[bytes.length - 10]! ^= 0x80
  writeFileSync(flipped, bytes)
  const refusedRun = runScript('restore', ['--in', flipped, '--to', target], env)
  t.equal(refusedRun.status, 1)
  t.match(refusedRun.stderr, /^quietwire: the backup is damaged: chunk \d+ fails authentication; nothing was restored\n$/)
  t.equal(readFileSync(target, 'utf8'), 'old database', 'nothing overwritten')

  const restore = runScript('restore', ['--in', out, '--to', target], env)
  t.equal(restore.status, 0, restore.stderr)
  t.match(restore.stdout, /restored \d+ bytes/)
  const { app: restoredApp } = await build(t, { env: { DATABASE_FILE: target } })
  const row = await restoredApp.db.selectFrom('users').select(['username', 'data_retention_days']).where('id', '=', alice.id).executeTakeFirstOrThrow()
  t.same(row, { username: alice.username, data_retention_days: 123 }, 'the restored database is the one backed up')
  t.same((await restoredApp.audit.verify()).problems, [], 'and its audit chains verify')
})
