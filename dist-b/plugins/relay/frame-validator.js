import { FormatRegistry } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ClientEnvelope, clientFrames } from '../../schemas/frames.js';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
if (!FormatRegistry.Has('uuid'))
    FormatRegistry.Set('uuid', (value) => UUID.test(value));
/** `=` only at the end, at most two: with BASE64_PATTERN (schemas/frames.ts), `^[A-Za-z0-9+/]*={0,2}$`. */
export function wellPadded(text) {
    const first = text.indexOf('=');
    return first === -1 || (first >= text.length - 2 && text.charCodeAt(text.length - 1) === 61);
}
function base64Bytes(text) {
    const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
    return (text.length / 4) * 3 - padding;
}
/** `/data/nonce` -> `nonce`; `/ref` -> `ref`: what a client calls the field. */
function fieldOf(path) {
    const parts = path.split('/').filter((p) => p !== '');
    if (parts[0] === 'data' && parts.length > 1)
        parts.shift();
    return parts.join('.') || 'data';
}
function problemOf(check, value, prefix) {
    const error = check.Errors(value).First();
    const field = fieldOf(prefix + (error?.path ?? ''));
    return { code: 'invalid_frame', field, message: `${field}: ${error?.message ?? 'invalid'}` };
}
/**
 * Validators for every client frame, compiled once per server (the ciphertext limit is part of
 * the schema). Checking never throws and never coerces.
 */
export function createFrameValidator(maxCiphertextBytes) {
    const envelope = TypeCompiler.Compile(ClientEnvelope);
    const byType = new Map();
    for (const [type, frame] of Object.entries(clientFrames(maxCiphertextBytes))) {
        byType.set(type, TypeCompiler.Compile(frame.data));
    }
    const types = [...byType.keys()].join(', ');
    return {
        /** Turns the JSON value of a text frame into a ClientFrame, or says what is wrong with it. */
        envelope(value) {
            if (typeof value !== 'object' || value === null || Array.isArray(value)) {
                return { ok: false, problem: { code: 'invalid_frame', field: 'type', message: 'A frame is a JSON object {type, ref?, data}' } };
            }
            if (!envelope.Check(value))
                return { ok: false, problem: problemOf(envelope, value, '') };
            const frame = value;
            if (frame.token !== undefined) {
                if (frame.type !== 'auth' || frame.data !== undefined) {
                    return { ok: false, problem: { code: 'invalid_frame', field: 'token', message: 'token: only the auth frame carries a token' } };
                }
                return { ok: true, value: { type: 'auth', ref: frame.ref, data: { token: frame.token } } };
            }
            // Exactly {type, ref?, data?}: the parsed object is the frame, no copy on the hot path.
            return { ok: true, value: frame };
        },
        /** Validates `data` for the frame's type. */
        data(type, data) {
            const check = byType.get(type);
            if (check === undefined) {
                return { ok: false, problem: { code: 'invalid_frame', field: 'type', message: `type: unknown frame type (one of ${types})` } };
            }
            if (check.Check(data)) {
                if (type === 'private_message') {
                    const { message } = data;
                    if (message.length % 4 !== 0 || !wellPadded(message)) {
                        return { ok: false, problem: { code: 'invalid_frame', field: 'message', message: 'message: padded base64: a length that is a multiple of 4, and = only as the last one or two characters' } };
                    }
                    // Base64 length counts in steps of 3 bytes: the schema's maxLength lets up to 2 bytes over.
                    if (base64Bytes(message) > maxCiphertextBytes) {
                        return { ok: false, problem: { code: 'invalid_frame', field: 'message', message: `message: more than ${maxCiphertextBytes} bytes of ciphertext` } };
                    }
                }
                return { ok: true, value: data };
            }
            return { ok: false, problem: problemOf(check, data, '/data') };
        },
        isKnownType: (type) => byType.has(type),
        types
    };
}
//# sourceMappingURL=frame-validator.js.map