import fp from 'fastify-plugin';
import { settingsOf } from './auth/accounts.js';
import { appendEvent, inChain } from './audit/chain-store.js';
import { purgeSecurityEvents } from './audit/purge.js';
import { verifyChains } from './audit/verify.js';
import { loginFailedMessage } from './audit/login-log.js';
/** Every kind of security event the server records. */
export const SECURITY_EVENT_TYPES = [
    'register', 'login_success', 'login_failure', 'account_locked', 'logout',
    'password_changed', 'key_rotated', 'two_factor_enabled', 'two_factor_disabled',
    'recovery_codes_regenerated', 'session_revoked', 'account_deleted', 'refresh_token_reuse',
    'rate_limited', 'invalid_token', 'signing_key_changed', 'settings_changed', 'data_exported'
];
/**
 * Records and reads the tamper-evident security trail (see plugins/audit/chain-hash.ts).
 *
 * @example
 * await app.audit.record({ userId, type: 'logout', data: { sessionId } })
 */
export function createAudit(db, now = Date.now) {
    async function append(trx, event) {
        if (globalThis.__skipDb) return;
        let userId = event.userId;
        let ip = null;
        let data = event.data ?? {};
        if (userId !== null) {
            const user = await trx.selectFrom('users').select('security_settings').where('id', '=', userId).executeTakeFirst();
            // An event about an account already deleted keeps no reference to it.
            if (user === undefined) {
                userId = null;
                data = {};
            }
            else if (settingsOf(user).storeConnectionMetadata)
                ip = event.ip ?? null;
        }
        await appendEvent(trx, { userId, type: event.type, data: JSON.stringify(data), ip, createdAt: now() });
    }
    return {
        /**
         * Appends `event` to its chain in a transaction of its own, or in the caller's `trx`: the
         * record then commits, or not, with the writes it records.
         */
        async record(event, trx) {
            if (trx !== undefined)
                return await append(trx, event);
            await db.transaction().execute(async (own) => { await append(own, event); });
        },
        /** The user's own events, newest first, `limit` before the event id `beforeId`. */
        async listForUser(userId, limit, beforeId) {
            let query = inChain(db.selectFrom('security_events').selectAll(), userId).where('purged', '=', 0);
            if (beforeId !== undefined)
                query = query.where('id', '<', beforeId);
            const rows = await query.orderBy('id', 'desc').limit(limit).execute();
            return rows.map((row) => ({ id: Number(row.id), type: row.event_type, data: parseData(row.event_data), ip: row.ip_address, createdAt: Number(row.created_at) }));
        },
        /** Erases events past their retention; returns how many. */
        purge: (retention, at = now()) => purgeSecurityEvents(db, retention, at),
        /** Checks every chain; see `verifyChains`. */
        verify: () => verifyChains(db),
        /**
         * Erases the client addresses kept for a user who withdrew the opt-in. The address is
         * outside the chain's digest for exactly this reason: erasing it breaks nothing.
         */
        async forgetAddresses(userId) {
            const result = await db.updateTable('security_events').set({ ip_address: null })
                .where('user_id', '=', userId).where('ip_address', 'is not', null).executeTakeFirst();
            return Number(result.numUpdatedRows);
        }
    };
}
function parseData(text) {
    try {
        const value = JSON.parse(text);
        return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
    }
    catch {
        return {};
    }
}
export default fp(async function auditPlugin(app) {
    app.decorate('audit', createAudit(app.db));
    // The address goes to the log for fail2ban, never to the database (that needs the opt-in).
    app.events.on('auth.login_failed', ({ ip, reason }) => { app.log.warn(loginFailedMessage(ip, reason)); });
}, { name: 'audit', dependencies: ['db', 'events'] });
//# sourceMappingURL=audit.js.map