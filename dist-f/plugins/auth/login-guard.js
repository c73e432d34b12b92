import { AppError } from '../errors.js';
import { recordFailedLogin, resetFailedLogins } from './accounts.js';
/**
 * Lockout bookkeeping shared by every way of proving who one is (password, key pair, second
 * factor, re-confirmation before destructive actions): each failure counts toward the same lock.
 * `clientIp` feeds only the fail2ban event; `ip` is what may be stored (null unless opted in).
 */
export function createLoginGuard(deps) {
    const { db, audit, events, lockout, now } = deps;
    return {
        /** Throws account_locked while `user` is locked. */
        assertNotLocked(user, clientIp) {
            const until = user.account_locked_until ?? 0;
            if (until <= now())
                return;
            if (clientIp !== undefined)
                events.emit('auth.login_failed', { ip: clientIp, reason: 'locked' });
            throw lockedError(until, now());
        },
        /** Counts a failed proof and throws `error`, or account_locked when this failure locked the account. */
        async fail(user, reason, error, where) {
            if (where.clientIp !== undefined)
                events.emit('auth.login_failed', { ip: where.clientIp, reason });
            const lockedNow = await recordFailedLogin(db, user.id, now(), lockout.maxAttempts, lockout.lockMs);
            await audit.record({ userId: user.id, type: 'login_failure', data: { reason }, ip: where.ip });
            if (lockedNow !== null) {
                await audit.record({ userId: user.id, type: 'account_locked', data: { until: lockedNow }, ip: where.ip });
                throw lockedError(lockedNow, now());
            }
            throw error;
        },
        /** Answers an unknown username exactly as a wrong credential is answered. */
        async unknownUser(clientIp, message) {
            events.emit('auth.login_failed', { ip: clientIp, reason: 'unknown_user' });
            await audit.record({ userId: null, type: 'login_failure', data: { reason: 'unknown_user' } });
            throw new AppError('invalid_credentials', message);
        },
        async succeeded(user) {
            if (user.failed_login_attempts > 0 || user.account_locked_until !== null)
                await resetFailedLogins(db, user.id);
        }
    };
}
function lockedError(until, now) {
    const retryAfter = Math.max(1, Math.ceil((until - now) / 1000));
    return new AppError('account_locked', `Too many failed logins; try again in ${retryAfter} s`, { 'retry-after': String(retryAfter) });
}
//# sourceMappingURL=login-guard.js.map