import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeEncryptedBackup } from './backup-format.js';
const NAME = /^quietwire-[0-9TZ-]+\.qwbackup$/;
/** The file name of a backup taken at `now`: names sort in time order. */
export function backupName(now) {
    return `quietwire-${new Date(now).toISOString().replace(/[:.]/g, '-')}.qwbackup`;
}
/**
 * Writes one encrypted backup into `dir` and deletes the oldest beyond `keep`: a deleted account
 * lives on in at most `keep` backups, for at most `keep` intervals. Returns the new file.
 */
export async function writeRotatingBackup(snapshot, dir, keep, secret, now) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, backupName(now));
    const plaintext = snapshot();
    try {
        await writeEncryptedBackup(plaintext, file, secret);
    }
    finally {
        plaintext.fill(0);
    }
    const names = (await readdir(dir)).filter((name) => NAME.test(name)).sort();
    const old = names.slice(0, Math.max(0, names.length - keep));
    for (const name of old)
        await unlink(join(dir, name)).catch(() => { });
    return { file, removed: old.length };
}
//# sourceMappingURL=backup-schedule.js.map