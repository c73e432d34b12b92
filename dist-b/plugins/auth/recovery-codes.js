import { randomInt } from 'node:crypto';
import { deriveMasterKey, keyedHash } from '../crypto/sodium.js';
/** Ten codes of 16 characters from a 32-letter alphabet: 80 bits each, printed as xxxx-xxxx-xxxx-xxxx. */
export const RECOVERY_CODE_COUNT = 10;
// Crockford's base32: no i, l, o or u, so a code read off paper is not misread.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
export function newRecoveryCode() {
    const chars = Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]);
    return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}
/** Whether `input` could be a recovery code (case, spaces and dashes do not matter). */
export function looksLikeRecoveryCode(input) {
    return /^[a-z0-9]{16}$/.test(normalise(input));
}
function normalise(code) {
    return code.toLowerCase().replace(/[\s-]/g, '');
}
// 80 random bits need no secret key against guessing; this key only separates the hash's domain.
// Not the server key, so codes keep working when that key is lost: they are the way back in.
const DOMAIN = deriveMasterKey('quietwire recovery code v1');
function hashCode(code) {
    return keyedHash(Buffer.from(normalise(code), 'utf8'), DOMAIN);
}
/** Replaces a user's recovery codes with `codes` (stored hashed). */
export async function storeRecoveryCodes(db, userId, codes, now) {
    await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
        await trx.insertInto('recovery_codes')
            .values(codes.map((code) => ({ user_id: userId, code_hash: hashCode(code), created_at: now, used_at: null })))
            .execute();
    });
}
/** Marks the code used if it is one of the user's unused codes; true when it was. Each code works once. */
export async function useRecoveryCode(db, userId, code, now) {
    const result = await db.updateTable('recovery_codes').set({ used_at: now })
        .where('user_id', '=', userId).where('code_hash', '=', hashCode(code)).where('used_at', 'is', null)
        .executeTakeFirst();
    return result.numUpdatedRows > 0n;
}
export async function countUnusedRecoveryCodes(db, userId) {
    const row = await db.selectFrom('recovery_codes').select((eb) => eb.fn.countAll().as('n'))
        .where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirst();
    return Number(row?.n ?? 0);
}
export async function deleteRecoveryCodes(db, userId) {
    await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
}
//# sourceMappingURL=recovery-codes.js.map