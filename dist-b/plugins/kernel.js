import fp from 'fastify-plugin';
import { handleError, handleNotFound } from './errors.js';
import config from './config.js';
import events from './events.js';
import db from './db.js';
import schemas from './schemas.js';
import security from './security.js';
import openapi from './openapi.js';
import audit from './audit.js';
import auth from './auth/index.js';
import presence from './presence.js';
import relay from './relay/index.js';
import retention from './retention/index.js';
import routes from '../routes/index.js';
/**
 * The kernel: the error and 404 handlers, and the plugins in their one explicit order.
 * Order is architecture: each plugin may use what the ones before it decorated, and declares so
 * in its `dependencies`, which Fastify checks at boot.
 */
export default fp(async function kernel(app, opts) {
    // Set before any plugin loads: a child context copies the error handler when it is created.
    app.setErrorHandler(handleError);
    await app.register(config, { config: opts.config });
    await app.register(events);
    await app.register(db);
    await app.register(schemas);
    await app.register(security);
    // The 404 handler is rate limited too, or scanning for routes would be free.
    app.setNotFoundHandler({ preHandler: app.rateLimit() }, handleNotFound);
    await app.register(openapi);
    await app.register(audit);
    await app.register(auth);
    await app.register(presence);
    await app.register(relay);
    await app.register(retention);
    await app.register(routes);
    for (const plugin of opts.plugins ?? [])
        await app.register(plugin);
}, { name: 'kernel' });
//# sourceMappingURL=kernel.js.map