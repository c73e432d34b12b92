import { open, rename, unlink } from 'node:fs/promises';
import { SECRETSTREAM_ABYTES, SECRETSTREAM_HEADERBYTES, secretstreamPull, secretstreamPush, wipe } from '../crypto/sodium.js';
import { readKeyParams, writeKeyParams } from './backup-key.js';
import { BackupError } from './backup-error.js';
export { BackupError };
/**
 * The encrypted backup file:
 *
 *   "QWBACKUP" | version (1) | key parameters (see backup-key.ts) | secretstream header (24)
 *   then chunks: length (u32 BE) | XChaCha20-Poly1305 secretstream chunk
 *
 * Every byte before the first chunk is authenticated with it, the chunks are chained by the
 * stream, and the last one carries the FINAL tag: a flipped byte, a reordered or dropped chunk,
 * a truncated file or a wrong key all fail before anything is written where it matters.
 */
const MAGIC = Buffer.from('QWBACKUP');
const VERSION = 1;
const CHUNK = 64 * 1024;
/** Writes `plaintext` encrypted to `file` (mode 0600), through a temporary file and a rename. */
export async function writeEncryptedBackup(plaintext, file, secret) {
    const { key, params } = await writeKeyParams(secret);
    const stream = secretstreamPush(key);
    wipe(key);
    const preamble = Buffer.concat([MAGIC, Buffer.from([VERSION]), params, stream.header]);
    const temp = `${file}.partial-${process.pid}`;
    const handle = await open(temp, 'wx', 0o600);
    try {
        await handle.write(preamble);
        let offset = 0;
        do {
            const piece = plaintext.subarray(offset, offset + CHUNK);
            offset += piece.length;
            const chunk = stream.push(piece, offset >= plaintext.length, offset === piece.length ? preamble : null);
            const length = Buffer.alloc(4);
            length.writeUInt32BE(chunk.length);
            await handle.write(Buffer.concat([length, chunk]));
        } while (offset < plaintext.length);
        await handle.sync();
        await handle.close();
        await rename(temp, file);
    }
    catch (err) {
        await handle.close().catch(() => { });
        await unlink(temp).catch(() => { });
        throw err;
    }
}
/**
 * Decrypts `file` into `destination`. The plaintext goes to a temporary file beside it and
 * replaces `destination` only once the whole backup authenticated: on any refusal nothing is
 * overwritten. `check` may refuse the decrypted file too (by throwing a BackupError).
 */
export async function restoreEncryptedBackup(file, destination, secret, check = () => { }) {
    const input = await open(file, 'r').catch((err) => { throw new BackupError(`cannot read ${file}: ${err.message}`); });
    const temp = `${destination}.restoring-${process.pid}`;
    let output;
    try {
        const reader = byteReader(input);
        const head = await reader.take(MAGIC.length + 1);
        if (head === null || !head.subarray(0, MAGIC.length).equals(MAGIC))
            throw new BackupError(`${file} is not a quietwire backup`);
        if (head[MAGIC.length] !== VERSION)
            throw new BackupError(`${file} is a backup of version ${head[MAGIC.length]}; this server reads version ${VERSION}`);
        const { key, params } = await readKeyParams(reader.take, secret);
        const header = await reader.take(SECRETSTREAM_HEADERBYTES);
        if (header === null)
            throw truncated();
        const preamble = Buffer.concat([head, params, header]);
        const stream = secretstreamPull(key, header);
        wipe(key);
        output = await open(temp, 'wx', 0o600);
        let total = 0;
        for (let index = 0;; index++) {
            const length = await reader.take(4);
            if (length === null)
                throw truncated();
            const size = length.readUInt32BE();
            if (size < SECRETSTREAM_ABYTES || size > CHUNK + SECRETSTREAM_ABYTES)
                throw damaged(index);
            const chunk = await reader.take(size);
            if (chunk === null)
                throw truncated();
            const opened = stream.pull(chunk, index === 0 ? preamble : null);
            if (opened === null) {
                throw new BackupError(index === 0
                    ? 'the backup key or passphrase is wrong (or the start of the file is damaged); nothing was restored'
                    : damaged(index).message);
            }
            await output.write(opened.plaintext);
            total += opened.plaintext.length;
            if (opened.final)
                break;
        }
        if (await reader.take(1) !== null)
            throw new BackupError('the backup has bytes after its final chunk: it was altered; nothing was restored');
        await output.sync();
        await output.close();
        output = undefined;
        check(temp);
        await rename(temp, destination);
        return total;
    }
    catch (err) {
        await output?.close().catch(() => { });
        await unlink(temp).catch(() => { });
        throw err;
    }
    finally {
        await input.close();
    }
}
function truncated() {
    return new BackupError('the backup is truncated: it ends before its final chunk; nothing was restored');
}
function damaged(index) {
    return new BackupError(`the backup is damaged: chunk ${index + 1} fails authentication; nothing was restored`);
}
/** Reads exactly `n` bytes at a time; null at the end of the file (or when fewer remain). */
function byteReader(handle) {
    let position = 0;
    return {
        async take(n) {
            const buffer = Buffer.alloc(n);
            const { bytesRead } = await handle.read(buffer, 0, n, position);
            position += bytesRead;
            return bytesRead === n ? buffer : null;
        }
    };
}
//# sourceMappingURL=backup-format.js.map