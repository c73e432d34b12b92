import { invalidateSession, invalidateUserSessions } from './sessions.js';
/**
 * Ending sessions, the one way: the row is invalidated (so its tokens fail at once), the relay
 * hears of it through the event bus and closes the session's sockets, and the audit log records it.
 */
export function createRevocation(deps) {
    const { db, audit, events } = deps;
    return {
        /** Ends one session; false when it had ended already. */
        async endSession(userId, sessionId, reason, ip = null) {
            if (!(await invalidateSession(db, sessionId)))
                return false;
            events.emit('session.revoked', { userId, sessionId, reason });
            await audit.record({ userId, type: 'session_revoked', data: { sessionId, reason }, ip });
            return true;
        },
        /** Ends every session of the user but `exceptSessionId`; returns how many ended. */
        async endOtherSessions(userId, exceptSessionId, reason, ip = null) {
            const ended = await invalidateUserSessions(db, userId, exceptSessionId);
            if (ended.length === 0)
                return 0;
            events.emit('user.sessions_revoked', { userId, exceptSessionId, reason });
            await audit.record({ userId, type: 'session_revoked', data: { sessionIds: ended, reason }, ip });
            return ended.length;
        }
    };
}
//# sourceMappingURL=revocation.js.map