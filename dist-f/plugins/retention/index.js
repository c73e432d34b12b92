import fp from 'fastify-plugin';
import { seconds } from '../config.js';
import { createRetention } from './service.js';
import { relayOf } from './relay-hooks.js';
import { auditRetentionFrom, backupDir, liveLogFiles } from './settings.js';
import { backupSecretFrom } from './backup-key.js';
import { writeRotatingBackup } from './backup-schedule.js';
/**
 * Retention: the scheduled purge, optional scheduled encrypted backups, and the account's
 * settings, export and deletion. Timers are unref'd (they never keep the process alive) and
 * cleared on close.
 */
export default fp(async function retentionPlugin(app) {
    const { config } = app;
    const retention = createRetention({
        db: app.db,
        audit: app.audit,
        events: app.events,
        relay: relayOf(app),
        checkpoint: app.storage.checkpoint,
        auditRetention: auditRetentionFrom(config),
        logFiles: liveLogFiles(config),
        logRetentionMs: seconds(config.LOG_RETENTION) * 1000
    });
    app.decorate('retention', retention);
    const timers = [];
    const every = (ms, task) => {
        let running = false;
        const timer = setInterval(() => {
            // A slow run is never overlapped by the next one.
            if (running)
                return;
            running = true;
            task().catch((err) => app.log.error({ err }, 'scheduled task failed')).finally(() => { running = false; });
        }, ms);
        timer.unref();
        timers.push(timer);
    };
    const purgeMs = seconds(config.PURGE_INTERVAL) * 1000;
    if (purgeMs > 0) {
        every(purgeMs, async () => {
            const counts = await retention.purge();
            app.log.info({ purged: counts }, 'retention purge');
        });
    }
    const backupMs = seconds(config.BACKUP_INTERVAL) * 1000;
    if (backupMs > 0) {
        const secret = backupSecretFrom(config);
        if (secret === null)
            throw new Error('BACKUP_INTERVAL is set but neither BACKUP_KEY nor BACKUP_PASSPHRASE is: scheduled backups are never written in the clear');
        const dir = backupDir(config);
        every(backupMs, async () => {
            const { file, removed } = await writeRotatingBackup(() => app.storage.serialize(), dir, config.BACKUP_KEEP, secret, Date.now());
            app.log.info({ file, removed }, 'scheduled backup written');
        });
    }
    app.addHook('onClose', async () => { for (const timer of timers)
        clearInterval(timer); });
}, { name: 'retention', dependencies: ['db', 'audit', 'events'] });
//# sourceMappingURL=index.js.map