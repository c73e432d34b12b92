import { seconds } from '../plugins/config.js';
import { AppError } from '../plugins/errors.js';
/**
 * The limits of the routes that take a credential: per client address on the route, and per
 * target username in a preHandler, so a botnet spreading guesses over many addresses still meets
 * the per-account limit (and the lockout). Each route counts its own username bucket.
 */
export function authRateLimits(app) {
    const { config } = app;
    const timeWindow = seconds(config.RATE_LIMIT_WINDOW) * 1000;
    const perAddress = { rateLimit: { max: config.AUTH_RATE_LIMIT_MAX, timeWindow } };
    const perUsername = app.createRateLimit({
        max: config.AUTH_RATE_LIMIT_MAX,
        timeWindow,
        keyGenerator: (request) => `${request.routeOptions.url}:${String(request.body.username).toLowerCase()}`
    });
    async function limitPerUsername(request) {
        const verdict = await perUsername(request);
        if (!verdict.isAllowed && verdict.isExceeded) {
            throw new AppError('rate_limited', 'Too many attempts for this username', { 'retry-after': String(Math.ceil(verdict.ttlInSeconds)) });
        }
    }
    return { perAddress, limitPerUsername };
}
/**
 * The limit of signed-in routes that check the password or a code: as strict as a login, so a
 * stolen access token cannot be used to guess them.
 */
export function credentialCheckLimit(app) {
    return { rateLimit: { max: app.config.AUTH_RATE_LIMIT_MAX, timeWindow: seconds(app.config.RATE_LIMIT_WINDOW) * 1000 } };
}
//# sourceMappingURL=auth-rate-limits.js.map