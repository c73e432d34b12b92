import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../plugins/config.js';
/** Stops an operator command with one line on standard error and a non-zero exit code. */
export function fail(message, code = 1) {
    process.stderr.write(`quietwire: ${message}\n`);
    process.exit(code);
}
/** The server's configuration, read as `npm start` reads it (environment, then `.env`). */
export function operatorConfig() {
    if (existsSync('.env'))
        process.loadEnvFile('.env');
    try {
        return loadConfig(process.env);
    }
    catch (err) {
        if (err instanceof ConfigError)
            fail(err.message);
        throw err;
    }
}
/** Command-line options; an unknown or malformed one stops the command naming it. */
export function operatorArgs(options) {
    try {
        return parseArgs({ options, strict: true, allowPositionals: false }).values;
    }
    catch (err) {
        return fail(err.message);
    }
}
//# sourceMappingURL=operator.js.map