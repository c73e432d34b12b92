import { existsSync } from 'node:fs';
import { buildServer } from '../app.js';
import { ConfigError, loadConfig } from '../plugins/config.js';
import { createLogger } from './logger.js';
/**
 * The process entry: configuration from the environment (and `.env` when present), the logger,
 * proxy trust, timeouts, signals and listen. Everything else is the kernel's.
 */
if (existsSync('.env'))
    process.loadEnvFile('.env');
const warnings = [];
let config;
try {
    config = loadConfig(process.env, (msg) => warnings.push(msg));
}
catch (err) {
    if (!(err instanceof ConfigError))
        throw err;
    process.stderr.write(`quietwire: ${err.message}\n`);
    process.exit(1);
}
const logger = createLogger(config);
for (const warning of warnings)
    logger.warn(warning);
const app = buildServer({ config }, {
    loggerInstance: logger,
    trustProxy: parseTrustProxy(config.TRUST_PROXY),
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    keepAliveTimeout: 72_000
});
let closing = false;
for (const signal of ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => {
        if (closing)
            return;
        closing = true;
        logger.info({ signal }, 'shutting down');
        // Stop accepting, let in-flight requests finish, close sockets and the database.
        app.close().then(() => process.exit(0), (err) => { logger.error({ err }, 'shutdown failed'); process.exit(1); });
    });
}
try {
    await app.listen({ port: config.PORT, host: config.HOST });
}
catch (err) {
    logger.fatal({ err }, 'could not start');
    process.exit(1);
}
/** `true`, `false`, a number of proxy hops to trust, or a list of trusted addresses/CIDRs. */
function parseTrustProxy(value) {
    if (value === 'true')
        return true;
    if (value === 'false')
        return false;
    if (/^[0-9]+$/.test(value)) {
        const hops = Number(value);
        return (_address, hop) => hop < hops;
    }
    return value;
}
//# sourceMappingURL=serve.js.map