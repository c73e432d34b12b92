import { AppError, ERRORS } from '../../errors.js';
/**
 * The Socket.IO CONNECT payload (`auth` in socket.io-client): `{token, acks?}`. Other fields are
 * ignored, as an app may send its own. A problem is reported before any token check.
 */
export function readConnectAuth(auth) {
    if (typeof auth !== 'object' || auth === null)
        return { mode: 'auto', problem: 'CONNECT needs auth: {token}' };
    const { token, acks } = auth;
    if (typeof token !== 'string' || token === '')
        return { mode: 'auto', problem: 'auth.token must be the bearer token from POST /api/login' };
    if (acks !== undefined && acks !== 'auto' && acks !== 'manual')
        return { mode: 'auto', problem: "auth.acks must be 'auto' or 'manual'" };
    return { token, mode: acks === 'manual' ? 'manual' : 'auto' };
}
/** What a refused CONNECT tells the client: our error code and a client-safe message. */
export function refusalOf(err) {
    if (err instanceof AppError)
        return { code: err.code, message: err.message };
    return { code: 'internal_error', message: ERRORS.internal_error.message };
}
//# sourceMappingURL=connect-auth.js.map