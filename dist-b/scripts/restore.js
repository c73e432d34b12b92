import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { isHealthySqliteFile, isSqliteFileInUse } from '../db/sqlite.js';
import { BackupError, restoreEncryptedBackup } from '../plugins/retention/backup-format.js';
import { backupSecretFrom } from '../plugins/retention/backup-key.js';
import { fail, operatorArgs, operatorConfig } from './operator.js';
/**
 * `npm run restore -- --in FILE [--to DATABASE]`: decrypts a backup over the configured database
 * (or DATABASE), refused while a running server (or anything else) has it open. The whole file
 * is authenticated and the result checked as a SQLite database before anything is replaced: a
 * damaged, truncated or foreign file, or a wrong key, leaves the current database exactly as it
 * was.
 */
const args = operatorArgs({ in: { type: 'string' }, to: { type: 'string' } });
const config = operatorConfig();
if (args.in === undefined)
    fail('give the backup to restore: --in FILE');
const secret = backupSecretFrom(config);
if (secret === null)
    fail('set BACKUP_KEY or BACKUP_PASSPHRASE to the one the backup was written with');
const target = resolve(args.to ?? config.databaseFile);
// Replacing the file under a running server would lose what it writes next, and deleting its WAL
// would corrupt what it reads.
if (isSqliteFileInUse(target))
    fail(`${target} is in use, by a running server or another process: stop it first; nothing was restored`);
try {
    const bytes = await restoreEncryptedBackup(args.in, target, secret, (plain) => {
        if (!isHealthySqliteFile(plain))
            throw new BackupError('the backup decrypted, but is not a healthy SQLite database; nothing was restored');
        // The old database's WAL would be replayed over the restored file: it goes first.
        rmSync(`${target}-wal`, { force: true });
        rmSync(`${target}-shm`, { force: true });
    });
    process.stdout.write(`restored ${bytes} bytes into ${target}\n`);
}
catch (err) {
    if (err instanceof BackupError)
        fail(err.message);
    fail(`restore failed: ${err.message}`);
}
//# sourceMappingURL=restore.js.map