import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fp from 'fastify-plugin';
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema } from '../schemas/config.js';
export class ConfigError extends Error {
}
const MIN_SECRET_BYTES = 32;
/** Seconds in a duration such as `15m` (the format of every `*_TTL` and duration variable). */
export function seconds(duration) {
    const unit = duration.at(-1) ?? '';
    const scale = { s: 1, m: 60, h: 3600, d: 86400 }[unit];
    return scale === undefined ? Number(duration) : Number(duration.slice(0, -1)) * scale;
}
/**
 * Reads the configuration from `env`, validates it and resolves what it derives (absolute data
 * directory, database file, JWT secret). Throws a ConfigError naming the first variable that is
 * wrong. `warn` hears what an operator should know but need not fix.
 */
export function loadConfig(env = process.env, warn = () => { }) {
    const raw = {};
    for (const key of Object.keys(ConfigSchema.properties)) {
        if (env[key] !== undefined && env[key] !== '')
            raw[key] = env[key];
    }
    const parsed = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, Value.Clone(raw)));
    const error = Value.Errors(ConfigSchema, parsed).First();
    if (error !== undefined) {
        const name = error.path.replace(/^\//, '').split('/')[0] || 'configuration';
        const expected = typeof error.schema.description === 'string' ? ` (expected ${error.schema.description})` : '';
        throw new ConfigError(`Invalid ${name}=${JSON.stringify(raw[name] ?? '')}: ${error.message}${expected}`);
    }
    const base = parsed;
    const dataDir = resolve(base.DATA_DIR);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    return {
        ...base,
        DATA_DIR: dataDir,
        jwtSecret: resolveJwtSecret(base, dataDir, warn),
        databaseFile: base.DATABASE_FILE ?? join(dataDir, 'quietwire.db')
    };
}
function resolveJwtSecret(config, dataDir, warn) {
    const given = config.JWT_SECRET;
    if (given !== undefined) {
        if (Buffer.byteLength(given) < MIN_SECRET_BYTES) {
            if (config.NODE_ENV === 'production') {
                throw new ConfigError(`Invalid JWT_SECRET: must be at least ${MIN_SECRET_BYTES} bytes in production`);
            }
            warn(`JWT_SECRET is shorter than ${MIN_SECRET_BYTES} bytes; production refuses it`);
        }
        return given;
    }
    if (config.NODE_ENV === 'production') {
        throw new ConfigError(`Invalid JWT_SECRET: required in production (at least ${MIN_SECRET_BYTES} random bytes)`);
    }
    const file = join(dataDir, 'jwt-secret');
    if (!existsSync(file)) {
        writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
        warn(`JWT_SECRET not set: generated one in ${file}; set JWT_SECRET in production`);
    }
    chmodSync(file, 0o600);
    return readFileSync(file, 'utf8').trim();
}
/** Decorates `fastify.config` with the configuration the server was built with. */
export default fp(async function configPlugin(app, opts) {
    app.decorate('config', opts.config);
}, { name: 'config' });
//# sourceMappingURL=config.js.map