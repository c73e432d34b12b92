import fp from 'fastify-plugin';
import { Kysely } from 'kysely';
import { openSqlite } from '../db/sqlite.js';
import { migrateToLatest } from '../db/migrate.js';
/** Opens the database, runs the migrations before anything else may query, closes it last. */
export default fp(async function dbPlugin(app) {
    const { dialect, stopCheckpoints, ...storage } = openSqlite(app.config.databaseFile, { backgroundCheckpoints: true });
    const db = new Kysely({ dialect });
    const applied = await migrateToLatest(db);
    if (applied.length > 0)
        app.log.info({ migrations: applied }, 'database migrated');
    app.decorate('db', db);
    app.decorate('storage', storage);
    app.addHook('onClose', async () => {
        await stopCheckpoints();
        await db.destroy();
    });
}, { name: 'db', dependencies: ['config'] });
//# sourceMappingURL=db.js.map