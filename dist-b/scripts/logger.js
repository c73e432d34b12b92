import { dirname, extname, join, basename } from 'node:path';
import { mkdirSync } from 'node:fs';
import pino, {} from 'pino';
/**
 * Paths pino removes from every log line: credentials and message content must never reach a
 * log, whatever a handler or plugin logs by mistake.
 */
export const REDACT_PATHS = [
    'req.headers.authorization', 'req.headers.cookie', 'req.headers["sec-websocket-protocol"]',
    'res.headers["set-cookie"]',
    '*.password', '*.currentPassword', '*.newPassword', '*.token', '*.accessToken', '*.refreshToken',
    '*.secret', '*.totp', '*.code', '*.recoveryCode', '*.signature', '*.challenge',
    '*.message', '*.ciphertext', '*.nonce', '*.mac', '*.ephemeralKey', '*.publicKey',
    'password', 'token', 'refreshToken', 'secret'
];
export function loggerOptions(level) {
    return {
        level,
        redact: { paths: REDACT_PATHS, censor: '[redacted]' },
        serializers: {
            // No client address, port or query string in request lines: metadata is kept only by opt-in.
            req: (req) => ({ method: req.method, url: req.url.split('?')[0] })
        }
    };
}
/** `errors.log` beside `app.log`: where operators look first. */
export function errorLogFile(logFile) {
    const ext = extname(logFile);
    return join(dirname(logFile), `${basename(logFile, ext)}.error${ext || '.log'}`);
}
/**
 * The process logger: standard output, or with LOG_FILE that file plus a second file holding
 * only errors. `destination` replaces both (tests use it as a sink).
 */
export function createLogger(config, destination) {
    const options = loggerOptions(config.LOG_LEVEL);
    if (destination !== undefined)
        return pino(options, destination);
    if (config.LOG_FILE === undefined)
        return pino(options);
    mkdirSync(dirname(config.LOG_FILE), { recursive: true });
    return pino(options, pino.multistream([
        { level: config.LOG_LEVEL === 'silent' ? 'fatal' : config.LOG_LEVEL, stream: pino.destination({ dest: config.LOG_FILE, mkdir: true }) },
        { level: 'error', stream: pino.destination({ dest: errorLogFile(config.LOG_FILE), mkdir: true }) }
    ]));
}
//# sourceMappingURL=logger.js.map