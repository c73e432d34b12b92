import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { Kysely, sql } from 'kysely'
import SQLite from 'better-sqlite3'
import { openSqlite } from '../../db/sqlite.js'
import type { TestContext } from '../helper.js'

/** A fresh SQLite file with one table, opened as the server opens its database. */
async function open (t: TestContext, backgroundCheckpoints: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'quietwire-checkpoints-'))
  const file = join(dir, 'db.sqlite')
  const { dialect, stopCheckpoints, checkpoint } = openSqlite(file, { backgroundCheckpoints })
  const db = new Kysely<any>({ dialect })
  t.teardown(async () => {
    await stopCheckpoints()
    await db.destroy()
    rmSync(dir, { recursive: true, force: true })
  })
  await sql`CREATE TABLE notes (body TEXT NOT NULL)`.execute(db)
  return { db, file, checkpoint }
}

const inMainFile = (file: string, marker: string) => readFileSync(file).includes(marker)

t.test('the checkpoint thread copies committed writes into the database file', async (t) => {
  const { db, file } = await open(t, true)
  const marker = 'marker-' + 'x'.repeat(40)
  await db.insertInto('notes').values({ body: marker }).execute()
  // A few pages, far below the writer's own checkpoint: only the thread can have moved them.
  for (let waited = 0; !inMainFile(file, marker) && waited < 5000; waited += 50) await sleep(50)
  t.ok(inMainFile(file, marker), 'the row reached the main file within the thread\'s interval')
})

t.test('without it, a small write stays in the WAL', async (t) => {
  const { db, file } = await open(t, false)
  const marker = 'marker-' + 'y'.repeat(40)
  await db.insertInto('notes').values({ body: marker }).execute()
  await sleep(600)
  t.notOk(inMainFile(file, marker), 'so the test above would fail without the thread')
})

t.test('a truncating checkpoint empties the WAL while the thread is running', async (t) => {
  const { db, file, checkpoint } = await open(t, true)
  for (let round = 0; round < 20; round++) {
    await db.insertInto('notes').values(Array.from({ length: 50 }, (_, i) => ({ body: `${round}-${i}-${'z'.repeat(1000)}` }))).execute()
    await checkpoint()
    t.equal(existsSync(file + '-wal') ? statSync(file + '-wal').size : 0, 0, `round ${round}: WAL truncated`)
  }
})

t.test('a new database gets 16 KiB pages and a backstop of about 40 MiB; an existing one keeps its pages', async (t) => {
  const { db } = await open(t, true)
  t.same((await sql`PRAGMA page_size`.execute(db)).rows, [{ page_size: 16384 }])
  t.same((await sql`PRAGMA wal_autocheckpoint`.execute(db)).rows, [{ wal_autocheckpoint: 2560 }])

  const dir = mkdtempSync(join(tmpdir(), 'quietwire-pages-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const file = join(dir, 'old.sqlite')
  const old = new SQLite(file)
  old.pragma('journal_mode = WAL')
  old.exec("CREATE TABLE notes (body TEXT NOT NULL); INSERT INTO notes VALUES ('from before')")
  old.close()
  const reopened = openSqlite(file, { backgroundCheckpoints: true })
  const again = new Kysely<any>({ dialect: reopened.dialect })
  t.teardown(async () => { await reopened.stopCheckpoints(); await again.destroy() })
  t.same((await sql`PRAGMA page_size`.execute(again)).rows, [{ page_size: 4096 }])
  t.same((await sql`PRAGMA wal_autocheckpoint`.execute(again)).rows, [{ wal_autocheckpoint: 10240 }])
  t.same((await again.selectFrom('notes').selectAll().execute()), [{ body: 'from before' }], 'and its data')
})
