import { AppError } from '../errors.js';
import { secretboxOpen, secretboxSeal } from '../crypto/sodium.js';
import { base32, matchTotp, newTotpSecret, totpUri } from './totp.js';
import { RECOVERY_CODE_COUNT, countUnusedRecoveryCodes, deleteRecoveryCodes, looksLikeRecoveryCode, newRecoveryCode, storeRecoveryCodes, useRecoveryCode } from './recovery-codes.js';
import { findUserById } from './accounts.js';
/**
 * TOTP two-factor authentication: setup, confirmation, the check at login, and switching off.
 * Secrets are sealed under the server key; recovery codes are stored only as hashes.
 */
export function createTwoFactor(deps) {
    const { db, audit, keys, now } = deps;
    const seal = (secret) => secretboxSeal(secret, keys.totpSecret).toString('base64');
    const open = (sealed) => sealed === null ? null : secretboxOpen(Buffer.from(sealed, 'base64'), keys.totpSecret);
    async function userOrThrow(userId) {
        const user = await findUserById(db, userId);
        if (user === undefined)
            throw new AppError('session_revoked');
        return user;
    }
    /** New recovery codes for the user, in place of the earlier ones; returned in the clear once. */
    async function replaceRecoveryCodes(userId) {
        const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
        await storeRecoveryCodes(db, userId, codes, now());
        return codes;
    }
    return {
        /** A new secret awaiting confirmation (replacing any earlier unconfirmed one), shown once. */
        async setup(userId) {
            const user = await userOrThrow(userId);
            if (user.two_factor_enabled === 1)
                throw new AppError('two_factor_already_enabled', 'Turn two-factor authentication off before setting it up again');
            const secret = newTotpSecret();
            await db.updateTable('users').set({ totp_pending_secret: seal(secret) }).where('id', '=', userId).execute();
            return { secret: base32(secret), uri: totpUri(secret, deps.issuer, user.username) };
        },
        /** Turns 2FA on when `code` matches the pending secret; returns the recovery codes, shown once. */
        async enable(userId, code) {
            const user = await userOrThrow(userId);
            if (user.two_factor_enabled === 1)
                throw new AppError('two_factor_already_enabled');
            const secret = open(user.totp_pending_secret);
            if (secret === null)
                throw new AppError('two_factor_not_set_up');
            const step = matchTotp(secret, code, now(), null);
            if (step === null)
                throw new AppError('totp_invalid');
            const recoveryCodes = await replaceRecoveryCodes(userId);
            await db.updateTable('users').set({
                two_factor_enabled: 1, totp_secret: user.totp_pending_secret, totp_pending_secret: null, totp_last_step: step
            }).where('id', '=', userId).execute();
            await audit.record({ userId, type: 'two_factor_enabled' });
            return { recoveryCodes };
        },
        /** Turns 2FA off; the caller has confirmed the password and a code already. */
        async disable(userId) {
            const user = await userOrThrow(userId);
            if (user.two_factor_enabled !== 1)
                throw new AppError('two_factor_not_enabled');
            await db.updateTable('users').set({ two_factor_enabled: 0, totp_secret: null, totp_pending_secret: null, totp_last_step: null })
                .where('id', '=', userId).execute();
            await deleteRecoveryCodes(db, userId);
            await audit.record({ userId, type: 'two_factor_disabled' });
        },
        /**
         * A fresh set of recovery codes, shown once, in place of every earlier one (used or not); the
         * caller has confirmed the password and a code already.
         */
        async regenerateRecoveryCodes(userId) {
            const user = await userOrThrow(userId);
            if (user.two_factor_enabled !== 1)
                throw new AppError('two_factor_not_enabled');
            const recoveryCodes = await replaceRecoveryCodes(userId);
            await audit.record({ userId, type: 'recovery_codes_regenerated' });
            return { recoveryCodes };
        },
        async status(userId) {
            const user = await userOrThrow(userId);
            return { enabled: user.two_factor_enabled === 1, recoveryCodesLeft: await countUnusedRecoveryCodes(db, userId) };
        },
        /**
         * Checks the second factor of `user` when 2FA is on: a TOTP code newer than the last one
         * accepted, or an unused recovery code. A success is recorded at once, so no code works twice.
         */
        async check(user, code) {
            if (user.two_factor_enabled !== 1)
                return 'not_required';
            if (code === undefined || code === '')
                return 'missing';
            if (looksLikeRecoveryCode(code)) {
                return await useRecoveryCode(db, user.id, code, now()) ? 'recovery_code' : 'invalid';
            }
            // A secret that no longer opens (the server key changed) accepts no code: recovery codes still work.
            const secret = open(user.totp_secret);
            const step = secret === null ? null : matchTotp(secret, code, now(), user.totp_last_step);
            if (step === null)
                return 'invalid';
            // Conditional on the stored step, so two requests racing with one code cannot both pass.
            const result = await db.updateTable('users').set({ totp_last_step: step })
                .where('id', '=', user.id)
                .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
                .executeTakeFirst();
            return result.numUpdatedRows > 0n ? 'totp' : 'invalid';
        }
    };
}
//# sourceMappingURL=two-factor.js.map