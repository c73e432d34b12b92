import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { Kysely, sql } from 'kysely'
import { openSqlite } from '../../db/sqlite.js'

/** Files this process has open whose names SQLite gives its temporary files. */
function openTempFiles (): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try { return [readlinkSync(join('/proc/self/fd', fd))] } catch { return [] }
  }).filter((target) => target.includes('etilqs_'))
}

t.test('statement journals stay in memory: no page is copied to a temporary file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'quietwire-temp-files-'))
  const { dialect, stopCheckpoints } = openSqlite(join(dir, 'db.sqlite'))
  const db = new Kysely<any>({ dialect })
  t.teardown(async () => {
    await stopCheckpoints()
    await db.destroy()
    rmSync(dir, { recursive: true, force: true })
  })
  await sql`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)`.execute(db)
  const rows = (tag: string) => Array.from({ length: 100 }, (_, i) => ({ id: i, body: `${tag}-${i}-${'c'.repeat(1500)}` }))
  await db.insertInto('notes').values(rows('first')).execute()
  const seen: string[] = []
  await db.transaction().execute(async (trx) => {
    // Statements that change many existing pages and could fail halfway on the unique
    // constraint: SQLite keeps each page's earlier content to undo the statement alone, and
    // past 64 KiB it writes them to a temporary file (outside the data directory) unless told not to.
    for (const tag of ['second', 'third']) {
      await trx.insertInto('notes').values(rows(tag)).onConflict((oc) => oc.column('id').doUpdateSet({ body: sql`excluded.body` })).execute()
      seen.push(...openTempFiles())
    }
  })
  t.same(seen, [], 'no temporary file was opened while the transaction ran')
})
