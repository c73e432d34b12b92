import { AppError } from '../errors.js';
import { passwordProblem } from './password-policy.js';
import { decodePublicKey, decodeSigningKey } from './keys.js';
/** Changing what identifies a user: password, E2EE public key, login signing key. */
export function createCredentials(deps) {
    const { db, hasher, audit, events, revocation, now } = deps;
    return {
        /** A new password under the registration policy; every other session of the user ends. */
        async changePassword(userId, currentSessionId, input) {
            const user = await deps.confirm(userId, { password: input.currentPassword, code: input.code });
            const problem = passwordProblem(input.newPassword, user.username);
            if (problem !== null)
                throw new AppError('weak_password', problem);
            if (input.newPassword === input.currentPassword)
                throw new AppError('weak_password', 'newPassword must differ from the current password');
            const passwordHash = await hasher.hash(input.newPassword);
            const at = now();
            await db.updateTable('users').set({ password_hash: passwordHash, last_password_change: at }).where('id', '=', userId).execute();
            const sessionsEnded = await revocation.endOtherSessions(userId, currentSessionId, 'password_changed');
            await audit.record({ userId, type: 'password_changed', data: { sessionsEnded } });
            return { lastPasswordChange: at, sessionsEnded };
        },
        /**
         * Publishes a new E2EE public key. People who talk to the user hear of it (`key_changed`),
         * so their clients can warn as safety-number changes do. The same key again changes nothing.
         */
        async rotateKey(userId, publicKey) {
            decodePublicKey(publicKey);
            const user = await db.selectFrom('users').select(['public_key', 'key_rotation_date']).where('id', '=', userId).executeTakeFirst();
            if (user === undefined)
                throw new AppError('session_revoked');
            if (user.public_key === publicKey)
                return { publicKey, keyRotationDate: user.key_rotation_date };
            const at = now();
            await db.updateTable('users').set({ public_key: publicKey, key_rotation_date: at }).where('id', '=', userId).execute();
            events.emit('user.key_changed', { userId, publicKey, keyRotationDate: at });
            await audit.record({ userId, type: 'key_rotated', data: { keyRotationDate: at } });
            return { publicKey, keyRotationDate: at };
        },
        /**
         * Sets (or with null removes) the Ed25519 key for key-pair login. It is a way in, so it
         * takes the password and, when on, the second factor.
         */
        async setSigningKey(userId, proof, signingKey) {
            if (signingKey !== null)
                decodeSigningKey(signingKey);
            await deps.confirm(userId, proof);
            await db.updateTable('users').set({ signing_key: signingKey }).where('id', '=', userId).execute();
            await audit.record({ userId, type: 'signing_key_changed', data: { removed: signingKey === null } });
            return { signingKey };
        }
    };
}
//# sourceMappingURL=credentials.js.map