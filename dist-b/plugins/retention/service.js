import { AppError } from '../errors.js';
import { collectUserData, deleteUserRow, forgetSessionMetadata, privacySettingsOf, profileOf, writeSettings } from './account.js';
import { purgeRotatedLogs } from './log-files.js';
import { countOf } from './relay-hooks.js';
/**
 * The data lifecycle: what the purge deletes, what a user sees, changes, exports and deletes.
 * Plain object, no Fastify: the plugin decorates it and `npm run purge` calls it.
 */
export function createRetention(deps) {
    const { db, audit, events, relay } = deps;
    const now = deps.now ?? Date.now;
    async function findUser(userId) {
        const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
        // The session was valid a moment ago: the account was deleted meanwhile.
        if (user === undefined)
            throw new AppError('session_revoked', 'The account no longer exists');
        return user;
    }
    return {
        /** One purge of everything past its time. Counts only: nothing purged is ever logged. */
        async purge(at = now()) {
            const messages = relay.purgeExpired !== undefined ? countOf(await relay.purgeExpired(at)) : 0;
            const sessions = await db.deleteFrom('sessions')
                .where((eb) => eb.or([eb('is_valid', '=', 0), eb('expires_at', '<=', at)])).executeTakeFirst();
            const securityEvents = await audit.purge(deps.auditRetention, at);
            const logFiles = await purgeRotatedLogs(deps.logFiles, deps.logRetentionMs, at);
            return { messages, sessions: Number(sessions.numDeletedRows), securityEvents, logFiles };
        },
        async profile(userId) {
            return profileOf(await findUser(userId));
        },
        /** Applies a settings change; withdrawing the metadata opt-in erases what it allowed. */
        async updateSettings(userId, patch) {
            const result = await writeSettings(db, userId, patch);
            if (result === undefined)
                throw new AppError('session_revoked', 'The account no longer exists');
            const { before, after } = result;
            if (before.storeConnectionMetadata && !after.storeConnectionMetadata) {
                await forgetSessionMetadata(db, userId);
                await audit.forgetAddresses(userId);
            }
            const changed = Object.keys(after).filter((key) => before[key] !== after[key]);
            if (changed.length > 0) {
                await audit.record({ userId, type: 'settings_changed', data: Object.fromEntries(changed.map((key) => [key, after[key]])) });
                events.emit('user.settings_changed', { userId });
            }
            return after;
        },
        /**
         * Deletes the account and everything that refers to it: the relay's queue, then the user row
         * (sessions, keys, settings, security events and every other table cascade). The deletion
         * itself is recorded in the system chain with no reference to the account.
         */
        async deleteAccount(userId) {
            if (relay.deleteFor !== undefined)
                await relay.deleteFor(userId);
            if (!(await deleteUserRow(db, userId)))
                throw new AppError('session_revoked', 'The account no longer exists');
            await audit.record({ userId: null, type: 'account_deleted' });
            events.emit('user.deleted', { userId });
            // With secure_delete the freed pages are zeroed; the WAL still holds old page images until this.
            await deps.checkpoint();
        },
        /** Everything stored about the user, in one document. */
        async exportData(userId, currentSessionId) {
            const data = await collectUserData(db, userId);
            if (data === undefined)
                throw new AppError('session_revoked', 'The account no longer exists');
            const { user, sessions, events: rows, chain } = data;
            const queued = relay.exportFor !== undefined ? await relay.exportFor(userId) : [];
            await audit.record({ userId, type: 'data_exported' });
            return {
                exportedAt: now(),
                profile: profileOf(user),
                settings: privacySettingsOf(user),
                keys: [{ publicKey: user.public_key, type: 'curve25519', createdAt: Number(user.key_rotation_date) }],
                sessions: sessions.map((s) => ({
                    id: s.id,
                    createdAt: Number(s.created_at),
                    expiresAt: Number(s.expires_at),
                    lastActivity: Number(s.last_activity),
                    ipAddress: s.ip_address,
                    userAgent: s.user_agent,
                    deviceLabel: s.device_label,
                    deliveredUpTo: s.acked_seq === null ? null : Number(s.acked_seq),
                    valid: s.is_valid === 1,
                    current: s.id === currentSessionId
                })),
                securityEvents: rows.map((e) => ({
                    id: Number(e.id), type: e.event_type, data: parseJson(e.event_data), ip: e.ip_address,
                    createdAt: Number(e.created_at), seq: e.chain_seq, hash: e.hash
                })),
                auditChain: chain === undefined ? null : { headSeq: chain.head_seq, headHash: chain.head_hash },
                queuedMessages: Array.isArray(queued) ? queued : []
            };
        }
    };
}
function parseJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return {};
    }
}
//# sourceMappingURL=service.js.map