import { deriveKeyArgon2id } from '../auth/argon2.js';
import { SECRETSTREAM_KEYBYTES, randomBytes } from '../crypto/sodium.js';
import { BackupError } from './backup-error.js';
const RAW_KEY = 0;
const ARGON2ID = 1;
const SALT_BYTES = 16;
// Bounds on what a backup file may ask of the KDF, so a crafted file cannot exhaust memory.
const MAX_MEMORY_KIB = 4194304;
const MAX_TIME_COST = 100;
const MAX_PARALLELISM = 16;
/** The key from configuration: BACKUP_KEY wins, else BACKUP_PASSPHRASE; null when neither is set. */
export function backupSecretFrom(config) {
    if (config.BACKUP_KEY !== undefined)
        return { key: Buffer.from(config.BACKUP_KEY, 'base64') };
    if (config.BACKUP_PASSPHRASE !== undefined) {
        return { passphrase: config.BACKUP_PASSPHRASE, memoryKib: config.BACKUP_KDF_MEMORY_KIB, timeCost: config.BACKUP_KDF_TIME_COST };
    }
    return null;
}
/** A fresh key and the bytes that tell a reader how to find it again (never the key itself). */
export async function writeKeyParams(secret) {
    if ('key' in secret) {
        if (secret.key.length !== SECRETSTREAM_KEYBYTES)
            throw new Error(`BACKUP_KEY must be ${SECRETSTREAM_KEYBYTES} bytes`);
        return { key: Buffer.from(secret.key), params: Buffer.from([RAW_KEY]) };
    }
    const salt = randomBytes(SALT_BYTES);
    const params = Buffer.alloc(1 + SALT_BYTES + 9);
    params[0] = ARGON2ID;
    salt.copy(params, 1);
    params.writeUInt32BE(secret.memoryKib, 1 + SALT_BYTES);
    params.writeUInt32BE(secret.timeCost, 5 + SALT_BYTES);
    params[9 + SALT_BYTES] = 1;
    return { key: await deriveKeyArgon2id(secret.passphrase, salt, { memoryKib: secret.memoryKib, timeCost: secret.timeCost, parallelism: 1 }), params };
}
/** Reads the key parameters of a backup and derives its key from `secret`. */
export async function readKeyParams(take, secret) {
    const kind = await take(1);
    if (kind === null)
        throw new BackupError('the backup is truncated: it ends inside its header; nothing was restored');
    if (kind[0] === RAW_KEY) {
        if (!('key' in secret))
            throw new BackupError('this backup was encrypted with a key (or its header is damaged): set BACKUP_KEY');
        return { key: Buffer.from(secret.key), params: kind };
    }
    if (kind[0] !== ARGON2ID)
        throw new BackupError('the backup header names an unknown key derivation; the file is damaged');
    if (!('passphrase' in secret))
        throw new BackupError('this backup was encrypted with a passphrase (or its header is damaged): set BACKUP_PASSPHRASE');
    const rest = await take(SALT_BYTES + 9);
    if (rest === null)
        throw new BackupError('the backup is truncated: it ends inside its header; nothing was restored');
    const memoryKib = rest.readUInt32BE(SALT_BYTES);
    const timeCost = rest.readUInt32BE(SALT_BYTES + 4);
    const parallelism = rest[SALT_BYTES + 8];
    if (memoryKib < 8 || memoryKib > MAX_MEMORY_KIB || timeCost < 1 || timeCost > MAX_TIME_COST || parallelism < 1 || parallelism > MAX_PARALLELISM) {
        throw new BackupError('the backup header asks for key derivation costs out of bounds; the file is damaged');
    }
    const key = await deriveKeyArgon2id(secret.passphrase, rest.subarray(0, SALT_BYTES), { memoryKib, timeCost, parallelism });
    return { key, params: Buffer.concat([kind, rest]) };
}
//# sourceMappingURL=backup-key.js.map