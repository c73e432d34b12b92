import SQLite from 'better-sqlite3'
import { SqliteDialect } from 'kysely'
import { startCheckpointThread } from './checkpoint-thread.js'

// With checkpoints in the background the writer's own automatic checkpoint is only a backstop:
// it runs when the thread falls behind, and it is what restarts the WAL from its beginning under
// constant writes, so the WAL stays under about this size.
const BACKSTOP_CHECKPOINT_BYTES = 40 * 1024 * 1024
// A queued 1 KiB message is a row of about 1.3 KB, and SQLite writes whole pages to the WAL and
// again to the database file, one system call or more each: 16 KiB pages hold twelve rows instead
// of three, and cut SQLite's CPU per queued row by about a seventh (docs/BENCHMARK-LOG.md,
// "Since the 12:04 run"). Only a new database takes it; an existing one keeps the size it was
// made with.
const NEW_DATABASE_PAGE_SIZE = 16_384
const CHECKPOINT_INTERVAL_MS = 200
const TRUNCATE_ATTEMPTS = 100
const TRUNCATE_RETRY_MS = 20
const CACHED_STATEMENTS = 256

/**
 * The connection as kysely sees it, with prepared statements kept by their SQL text (least
 * recently used dropped first). kysely prepares every query it runs, and SQLite's parse and plan
 * of a query cost about as much as running a small one. A statement still being iterated is
 * busy, and a fresh one is prepared beside it.
 */
function withStatementCache (database: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => { database.close() },
    prepare (sql: string): SQLite.Statement {
      const cached = cache.get(sql)
      if (cached !== undefined) cache.delete(sql)
      const statement = cached !== undefined && !cached.busy ? cached : database.prepare(sql)
      cache.set(sql, statement)
      if (cache.size > CACHED_STATEMENTS) cache.delete(cache.keys().next().value as string)
      return statement
    }
  }
}

/**
 * The one module that opens better-sqlite3 connections (with its checkpoint thread). WAL for
 * concurrent readers, foreign keys for cascading deletion, secure_delete so deleted rows are
 * overwritten rather than left in free pages, temporary data in memory only.
 * `backgroundCheckpoints` (the server's) moves WAL checkpoints to a thread of their own; call
 * `stopCheckpoints` when closing.
 */
export function openSqlite (file: string, options: { backgroundCheckpoints?: boolean } = {}) {
  const database = new SQLite(file)
  database.pragma(`page_size = ${NEW_DATABASE_PAGE_SIZE}`)
  database.pragma('journal_mode = WAL')
  database.pragma('synchronous = NORMAL')
  database.pragma('foreign_keys = ON')
  database.pragma('busy_timeout = 5000')
  database.pragma('secure_delete = ON')
  // A statement that could fail halfway (a multi-row insert into the queue) keeps the earlier
  // content of the pages it changes, and past 64 KiB SQLite writes them to a temporary file in
  // /var/tmp: copies of ciphertext outside the data directory, and a quarter of the writes.
  database.pragma('temp_store = MEMORY')
  // Up to 64 MiB of pages in memory (default 2 MiB): the offline queue's B-trees then stay
  // cached, which made its batched writes and deletions a third cheaper in the bench.
  database.pragma('cache_size = -65536')
  const checkpoints = options.backgroundCheckpoints === true ? startCheckpointThread(file, CHECKPOINT_INTERVAL_MS) : undefined
  if (checkpoints !== undefined) {
    const pageSize = database.pragma('page_size', { simple: true }) as number
    database.pragma(`wal_autocheckpoint = ${Math.round(BACKSTOP_CHECKPOINT_BYTES / pageSize)}`)
  }
  return {
    dialect: new SqliteDialect({ database: withStatementCache(database) }),
    /** Stops the checkpoint thread (the database itself closes with the dialect). */
    stopCheckpoints: async () => { await checkpoints?.stop() },
    /**
     * Moves the WAL's content into the main file and truncates the WAL (after deletions). While the
     * checkpoint thread or a reader is in the way, SQLite answers busy instead of waiting: retried.
     */
    checkpoint: async () => {
      for (let attempt = 1; ; attempt++) {
        const [{ busy }] = database.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>
        if (busy === 0) return
        if (attempt === TRUNCATE_ATTEMPTS) throw new Error('the WAL could not be truncated: the database stayed busy')
        await new Promise((resolve) => setTimeout(resolve, TRUNCATE_RETRY_MS))
      }
    },
    /** A consistent online copy of the database into `destination`. */
    backup: (destination: string) => database.backup(destination),
    /** A consistent snapshot of the whole database as bytes, never written to disk in the clear. */
    serialize: () => database.serialize()
  }
}

/**
 * A read-only connection for operator commands that run beside the server (backup, audit
 * verification): it takes consistent snapshots without ever writing to the live database.
 */
export function openSqliteReadOnly (file: string) {
  const database = new SQLite(file, { readonly: true, fileMustExist: true })
  database.pragma('busy_timeout = 5000')
  return {
    dialect: new SqliteDialect({ database }),
    serialize: () => database.serialize(),
    close: () => { database.close() }
  }
}

/**
 * Whether another connection has the database at `file` open: a running server keeps its
 * connection for its whole life. Exclusive locking mode wants the database file to itself, which
 * SQLite refuses (busy) while any other connection holds it, WAL mode included. A file that is
 * missing or not a database is not in use.
 */
export function isSqliteFileInUse (file: string): boolean {
  let database: SQLite.Database | undefined
  try {
    database = new SQLite(file, { fileMustExist: true })
    database.pragma('busy_timeout = 0')
    database.pragma('locking_mode = EXCLUSIVE')
    database.exec('BEGIN EXCLUSIVE')
    database.exec('COMMIT')
    return false
  } catch (err) {
    const code = (err as { code?: unknown }).code
    return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED'
  } finally {
    database?.close()
  }
}

/** Whether `file` is a SQLite database that passes a quick integrity check. */
export function isHealthySqliteFile (file: string): boolean {
  let database: SQLite.Database | undefined
  try {
    database = new SQLite(file, { readonly: true, fileMustExist: true })
    return database.pragma('quick_check', { simple: true }) === 'ok'
  } catch {
    return false
  } finally {
    database?.close()
  }
}
