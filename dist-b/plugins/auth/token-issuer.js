import { AppError } from '../errors.js';
import { createSession, findSessionById, rotateSessionTokenId } from './sessions.js';
import { findRefreshToken, insertRefreshToken, retireRefreshToken } from './refresh-tokens.js';
/** Starts sessions and rotates their refresh tokens, treating a retired one presented again as theft. */
export function createTokenIssuer(deps) {
    const { db, audit, revocation, tokens, policy, now } = deps;
    function accessToken(userId, tokenId, sessionExpiresAt) {
        const ttl = policy.mode === 'single'
            ? policy.singleTtlSeconds
            : Math.max(1, Math.min(policy.accessTtlSeconds, Math.floor((sessionExpiresAt - now()) / 1000)));
        return { token: tokens.sign({ sub: userId, sid: tokenId }, ttl), expiresAt: Math.min(sessionExpiresAt, now() + ttl * 1000) };
    }
    async function theft(row) {
        await revocation.endSession(row.user_id, row.session_id, 'refresh_token_reuse');
        await audit.record({ userId: row.user_id, type: 'refresh_token_reuse', data: { sessionId: row.session_id } });
        throw new AppError('refresh_token_reused');
    }
    return {
        /** A new session for `user` and its first tokens, written in the sign-in's transaction `trx`. */
        async startSession(trx, user, metadata, deviceLabel) {
            const life = policy.mode === 'single' ? policy.singleTtlSeconds : policy.sessionTtlSeconds;
            const expiresAt = now() + life * 1000;
            const { sessionId, tokenId } = await createSession(trx, {
                userId: user.id, expiresAt, deviceLabel, ipAddress: metadata.ip, userAgent: metadata.userAgent
            }, now());
            const access = accessToken(user.id, tokenId, expiresAt);
            if (policy.mode === 'single')
                return { ...access, sessionId };
            const refreshToken = await insertRefreshToken(trx, { userId: user.id, sessionId, expiresAt }, now());
            return { ...access, refreshToken, refreshExpiresAt: expiresAt, sessionId };
        },
        /**
         * Exchanges a refresh token for a new pair and retires it. A retired token presented again
         * means two parties hold it: the session ends, its sockets close, and a security event records it.
         */
        async refresh(refreshToken) {
            if (policy.mode === 'single')
                throw new AppError('refresh_disabled');
            const row = await findRefreshToken(db, refreshToken);
            if (row === undefined)
                throw new AppError('invalid_refresh_token');
            if (row.used_at !== null)
                return await theft(row);
            const session = await findSessionById(db, row.session_id);
            if (session === undefined || session.is_valid !== 1)
                throw new AppError('session_revoked');
            if (row.expires_at <= now() || session.expires_at <= now())
                throw new AppError('invalid_refresh_token', 'The session has expired; sign in again');
            // Retiring, rotating and replacing commit together: a failure between them would leave
            // the session without a refresh token the client holds.
            const rotated = await db.transaction().execute(async (trx) => {
                if (!(await retireRefreshToken(trx, row.id, now())))
                    return undefined;
                const tokenId = await rotateSessionTokenId(trx, session.id, now());
                const next = await insertRefreshToken(trx, { userId: row.user_id, sessionId: session.id, expiresAt: session.expires_at }, now());
                return { tokenId, next };
            });
            if (rotated === undefined)
                return await theft(row);
            return { ...accessToken(row.user_id, rotated.tokenId, session.expires_at), refreshToken: rotated.next, refreshExpiresAt: session.expires_at, sessionId: session.id, userId: row.user_id };
        }
    };
}
//# sourceMappingURL=token-issuer.js.map