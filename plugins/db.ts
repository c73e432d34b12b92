import fp from 'fastify-plugin'
import { Kysely } from 'kysely'
import type { Database } from '../db/types.js'
import { openSqlite } from '../db/sqlite.js'
import { migrateToLatest } from '../db/migrate.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>
    /** Engine-level operations that kysely does not express. */
    storage: Omit<ReturnType<typeof openSqlite>, 'dialect' | 'stopCheckpoints'>
  }
}

/** Opens the database, runs the migrations before anything else may query, closes it last. */
export default fp(async function dbPlugin (app) {
  const { dialect, stopCheckpoints, ...storage } = openSqlite(app.config.databaseFile, { backgroundCheckpoints: true })
  const db = new Kysely<Database>({ dialect })
  const applied = await migrateToLatest(db)
  if (applied.length > 0) app.log.info({ migrations: applied }, 'database migrated')
  app.decorate('db', db)
  app.decorate('storage', storage)
  app.addHook('onClose', async () => {
    await stopCheckpoints()
    await db.destroy()
  })
}, { name: 'db', dependencies: ['config'] })
