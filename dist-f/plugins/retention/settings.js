import { join } from 'node:path';
import { ConfigError, seconds } from '../config.js';
import { SECURITY_EVENT_TYPES } from '../audit.js';
import { errorLogFile } from '../../scripts/logger.js';
/** AUDIT_RETENTION and AUDIT_RETENTION_BY_TYPE as milliseconds; an unknown type is refused by name. */
export function auditRetentionFrom(config) {
    const byType = {};
    for (const pair of config.AUDIT_RETENTION_BY_TYPE.split(',').filter((p) => p !== '')) {
        const [type = '', duration = ''] = pair.split('=');
        if (!SECURITY_EVENT_TYPES.includes(type)) {
            throw new ConfigError(`Invalid AUDIT_RETENTION_BY_TYPE: "${type}" is not an event type (${SECURITY_EVENT_TYPES.join(', ')})`);
        }
        byType[type] = seconds(duration) * 1000;
    }
    return { defaultMs: seconds(config.AUDIT_RETENTION) * 1000, byType };
}
/** The live log files (LOG_FILE and its error log) whose rotated copies the purge removes. */
export function liveLogFiles(config) {
    return config.LOG_FILE === undefined ? [] : [config.LOG_FILE, errorLogFile(config.LOG_FILE)];
}
/** Where scheduled backups go. */
export function backupDir(config) {
    return config.BACKUP_DIR ?? join(config.DATA_DIR, 'backups');
}
//# sourceMappingURL=settings.js.map