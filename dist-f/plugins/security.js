import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import { seconds } from './config.js';
import { errorBody } from './errors.js';
/**
 * Headers, CORS and the global rate limit. The limit runs once the route's authentication hook
 * has identified the caller, so it counts per user when there is one and per client address
 * (the real one, through TRUST_PROXY) otherwise. Routes tighten it with `config.rateLimit`.
 */
export default fp(async function securityPlugin(app) {
    const { config } = app;
    const tripRecorder = createTripRecorder(seconds(config.RATE_LIMIT_WINDOW) * 1000, (userId) => {
        app.audit.record({ userId, type: 'rate_limited' }).catch((err) => app.log.error({ err }, 'could not record a rate-limit trip'));
    });
    // A JSON API: any other body type is a 415, not a string handed to a JSON schema.
    app.removeContentTypeParser('text/plain');
    await app.register(helmet, {
        // An API serves no documents: nothing may load, frame or script anything from here.
        contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
        hsts: { maxAge: 31536000, includeSubDomains: true },
        crossOriginResourcePolicy: { policy: 'same-site' },
        referrerPolicy: { policy: 'no-referrer' }
    });
    await app.register(cors, {
        origin: config.CLIENT_URL,
        methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowedHeaders: ['Authorization', 'Content-Type'],
        maxAge: 600
    });
    await app.register(rateLimit, {
        global: true,
        hook: 'preHandler',
        max: config.RATE_LIMIT_MAX,
        timeWindow: seconds(config.RATE_LIMIT_WINDOW) * 1000,
        keyGenerator: (request) => request.auth?.userId ?? request.ip,
        // A trip is a security event, recorded once per key and window: a flood of refused
        // requests must not become a flood of writes.
        onExceeded: (request, key) => { tripRecorder.trip(request.auth?.userId ?? null, key); },
        errorResponseBuilder: (_request, context) => {
            const body = errorBody('rate_limited', `Rate limit exceeded, retry in ${context.after}`);
            return Object.assign(new Error(body.message), body);
        }
    });
}, { name: 'security', dependencies: ['config'] });
/** Calls `record` for the first trip of each key in each window; remembers a bounded number of keys. */
function createTripRecorder(windowMs, record, now = Date.now) {
    const seen = new Map();
    return {
        trip(userId, key) {
            const at = now();
            if ((seen.get(key) ?? 0) > at)
                return;
            if (seen.size >= 10000)
                seen.clear();
            seen.set(key, at + windowMs);
            record(userId);
        }
    };
}
//# sourceMappingURL=security.js.map