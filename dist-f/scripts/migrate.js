import { Kysely } from 'kysely';
import { ConfigError, loadConfig } from '../plugins/config.js';
import { openSqlite } from '../db/sqlite.js';
import { migrateToLatest } from '../db/migrate.js';
/**
 * Brings the configured database up to date and exits, for operators who migrate before a
 * deploy rather than at boot (the server also migrates at boot).
 */
try {
    const config = loadConfig();
    const db = new Kysely({ dialect: openSqlite(config.databaseFile).dialect });
    try {
        const applied = await migrateToLatest(db);
        process.stdout.write(applied.length > 0 ? `applied ${applied.join(', ')}\n` : 'already up to date\n');
    }
    finally {
        await db.destroy();
    }
}
catch (err) {
    process.stderr.write(`quietwire migrate: ${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exitCode = 1;
}
//# sourceMappingURL=migrate.js.map