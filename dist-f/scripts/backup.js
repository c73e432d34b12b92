import { existsSync } from 'node:fs';
import { openSqliteReadOnly } from '../db/sqlite.js';
import { BackupError, writeEncryptedBackup } from '../plugins/retention/backup-format.js';
import { backupSecretFrom } from '../plugins/retention/backup-key.js';
import { writeRotatingBackup } from '../plugins/retention/backup-schedule.js';
import { fail, operatorArgs, operatorConfig } from './operator.js';
/**
 * `npm run backup -- --out FILE`: a consistent online snapshot of the database (the server may
 * be running), encrypted and authenticated with BACKUP_KEY or BACKUP_PASSPHRASE. Or
 * `--dir DIR [--keep N]`: a dated file in DIR, keeping the newest N (for cron).
 */
const args = operatorArgs({ out: { type: 'string' }, dir: { type: 'string' }, keep: { type: 'string' } });
const config = operatorConfig();
const secret = backupSecretFrom(config);
if (secret === null)
    fail('set BACKUP_KEY (32 random bytes, base64) or BACKUP_PASSPHRASE: backups are never written in the clear');
if ((args.out === undefined) === (args.dir === undefined))
    fail('give either --out FILE or --dir DIR');
const keep = args.keep === undefined ? config.BACKUP_KEEP : Number(args.keep);
if (!Number.isInteger(keep) || keep < 1)
    fail(`--keep must be a whole number of at least 1, not "${args.keep}"`);
if (args.out !== undefined && existsSync(args.out))
    fail(`${args.out} exists; choose another name or remove it first`);
let source;
try {
    source = openSqliteReadOnly(config.databaseFile);
}
catch (err) {
    fail(`cannot open ${config.databaseFile}: ${err.message}`);
}
try {
    if (args.out !== undefined) {
        const plaintext = source.serialize();
        await writeEncryptedBackup(plaintext, args.out, secret);
        plaintext.fill(0);
        process.stdout.write(`wrote ${args.out}\n`);
    }
    else {
        const { file, removed } = await writeRotatingBackup(() => source.serialize(), args.dir, keep, secret, Date.now());
        process.stdout.write(`wrote ${file}; removed ${removed} older backup(s)\n`);
    }
}
catch (err) {
    if (err instanceof BackupError)
        fail(err.message);
    fail(`backup failed: ${err.message}`);
}
finally {
    source.close();
}
//# sourceMappingURL=backup.js.map