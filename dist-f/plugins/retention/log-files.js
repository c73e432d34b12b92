import { readdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
/**
 * Whether `name` is a rotated copy of the log `live` (by logrotate, pino-roll or by hand):
 * `app.log.1`, `app.log.2.gz`, `app.log-20250101`, `app.1.log`, `app.2025-01-01.log`.
 * The live file itself and anything not named after it are never matched.
 */
export function isRotatedLog(name, live) {
    if (name === live)
        return false;
    if (name.startsWith(`${live}.`) || name.startsWith(`${live}-`))
        return true;
    const ext = extname(live) || '.log';
    const stem = basename(live, extname(live));
    if (!name.startsWith(`${stem}.`))
        return false;
    const middle = name.slice(stem.length + 1);
    return new RegExp(`^[0-9][0-9T_.:-]*${ext.replace('.', '\\.')}(\\.gz)?$`).test(middle);
}
/** Deletes rotated copies of the given live log files older than `maxAgeMs`; returns how many. */
export async function purgeRotatedLogs(liveFiles, maxAgeMs, now) {
    let removed = 0;
    const byDir = new Map();
    for (const file of liveFiles)
        byDir.set(dirname(file), [...(byDir.get(dirname(file)) ?? []), basename(file)]);
    for (const [dir, lives] of byDir) {
        let names;
        try {
            names = await readdir(dir);
        }
        catch {
            continue;
        }
        for (const name of names) {
            if (lives.includes(name) || !lives.some((live) => isRotatedLog(name, live)))
                continue;
            const path = join(dir, name);
            try {
                const info = await stat(path);
                if (!info.isFile() || now - info.mtimeMs <= maxAgeMs)
                    continue;
                await unlink(path);
                removed++;
            }
            catch {
                // Gone already, or not ours to delete: the next run tries again.
            }
        }
    }
    return removed;
}
//# sourceMappingURL=log-files.js.map