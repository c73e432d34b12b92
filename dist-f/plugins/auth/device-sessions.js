import { AppError } from '../errors.js';
import { findSessionById, listActiveSessions } from './sessions.js';
/** The caller's own sessions: list them, end one, end all but the current. */
export function createDeviceSessions(deps) {
    const { db, revocation, now } = deps;
    async function ownSession(userId, sessionId) {
        const session = await findSessionById(db, sessionId);
        return session?.user_id === userId ? session : undefined;
    }
    return {
        /**
         * Valid sessions, newest first. Addresses and user agents appear only while the user opts in
         * (`showMetadata`); they are stored only then, too.
         */
        async list(userId, currentSessionId, showMetadata, limit, cursor) {
            let after;
            if (cursor !== undefined) {
                after = await ownSession(userId, cursor);
                if (after === undefined)
                    throw new AppError('bad_request', 'cursor is not one of your sessions');
            }
            const rows = await listActiveSessions(db, userId, now(), limit + 1, after);
            const items = rows.slice(0, limit).map((s) => ({
                id: s.id,
                createdAt: s.created_at,
                lastActivity: s.last_activity,
                expiresAt: s.expires_at,
                deviceLabel: s.device_label,
                current: s.id === currentSessionId,
                ...(showMetadata ? { ipAddress: s.ip_address, userAgent: s.user_agent } : {})
            }));
            return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
        },
        /** Ends one of the caller's sessions (the current one too, like a logout); not_found otherwise. */
        async revoke(userId, sessionId, ip) {
            const session = await ownSession(userId, sessionId);
            // Another user's session answers exactly as a missing one: ids reveal nothing.
            if (session === undefined || !(await revocation.endSession(userId, sessionId, 'revoked_by_user', ip))) {
                throw new AppError('not_found', 'No such active session');
            }
        },
        /** Ends every session of the caller but the current one; returns how many ended. */
        revokeOthers: (userId, currentSessionId, ip) => revocation.endOtherSessions(userId, currentSessionId, 'revoked_by_user', ip)
    };
}
//# sourceMappingURL=device-sessions.js.map