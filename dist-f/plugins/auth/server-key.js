import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveMasterKey, deriveSubkey } from '../crypto/sodium.js';
const CONTEXT = 'qw-auth_';
/**
 * The server keys, from `TOTP_ENCRYPTION_KEY` when set, else from a random secret generated once
 * in `DATA_DIR/totp-key` (mode 0600). Losing or changing that secret makes every stored TOTP
 * secret unreadable: those users sign in with a recovery code (hashed without the server key, so
 * they survive) and set 2FA up again.
 */
export function loadServerKeys(config, warn = () => { }) {
    const master = deriveMasterKey(config.TOTP_ENCRYPTION_KEY ?? keyFile(config.DATA_DIR, warn));
    const keys = { totpSecret: deriveSubkey(master, 1, CONTEXT) };
    master.fill(0);
    return keys;
}
function keyFile(dataDir, warn) {
    const file = join(dataDir, 'totp-key');
    if (!existsSync(file)) {
        writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
        warn(`TOTP_ENCRYPTION_KEY not set: generated one in ${file}; back it up with the database`);
    }
    chmodSync(file, 0o600);
    return readFileSync(file, 'utf8').trim();
}
//# sourceMappingURL=server-key.js.map