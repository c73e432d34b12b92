import { buildServer } from '../app.js';
import { createLogger } from './logger.js';
import { operatorConfig } from './operator.js';
/**
 * `npm run purge`: one retention purge against the configured database, then exit. Safe while
 * the server runs (SQLite WAL; the same code as the server's scheduled purge). Prints counts.
 */
const config = { ...operatorConfig(), PURGE_INTERVAL: '0', BACKUP_INTERVAL: '0' };
const app = buildServer({ config }, { loggerInstance: createLogger({ ...config, LOG_LEVEL: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL }) });
await app.ready();
try {
    const counts = await app.retention.purge();
    process.stdout.write(`${JSON.stringify({ purged: counts })}\n`);
}
finally {
    await app.close();
}
//# sourceMappingURL=purge.js.map