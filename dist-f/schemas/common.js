import { Type } from '@sinclair/typebox';
import { ERRORS } from '../plugins/errors.js';
/** What may not appear in a base64 text with 0, 1 or 2 `=` of padding (besides the length rule). */
const NOT_BASE64 = ['[^A-Za-z0-9+/=]|=', '[^A-Za-z0-9+/=]|=[^]', '[^A-Za-z0-9+/=]|=[^=]|==='];
/**
 * Standard base64 (with padding) of exactly `bytes` bytes: `^[A-Za-z0-9+/]{n}={padding}$`,
 * written as "nothing that may not appear, then the length and the padding" because V8 runs
 * the counted form two to three times slower on 32 to 64 bytes (it keeps a backtracking point
 * per character). test/relay/units.test.ts holds the two forms to the same answers.
 */
export function Base64Bytes(bytes, description) {
    const chars = Math.ceil(bytes / 3) * 4;
    const padding = (3 - (bytes % 3)) % 3;
    const pattern = `^(?![^]*?(?:${NOT_BASE64[padding]}))(?=[^]{${chars - padding}}${'='.repeat(padding)}$)`;
    return Type.String({ pattern, minLength: chars, maxLength: chars, description });
}
export const UserId = Type.String({ format: 'uuid', description: 'A user id' });
export const Username = Type.String({
    minLength: 3, maxLength: 32, pattern: '^[A-Za-z0-9_.-]+$', description: '3-32 of A-Z a-z 0-9 _ . -'
});
export const PublicKey = Base64Bytes(32, 'Curve25519 public key (32 bytes, base64)');
/** Milliseconds since the Unix epoch. */
export const Timestamp = Type.Integer({ minimum: 0, description: 'Milliseconds since the Unix epoch' });
export const ErrorResponse = Type.Object({
    statusCode: Type.Integer(),
    code: Type.Union(Object.keys(ERRORS).map((c) => Type.Literal(c))),
    error: Type.String(),
    message: Type.String()
}, { $id: 'ErrorResponse', description: 'Every 4xx and 5xx reply has this shape' });
/** Response entries for the given error statuses, all of the shared shape. */
export function errorResponses(...statuses) {
    return Object.fromEntries(statuses.map((s) => [s, Type.Ref(ErrorResponse)]));
}
/** Cursor pagination shared by every list endpoint. */
export const PageQuery = Type.Object({
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 200 }))
}, { additionalProperties: false });
export const Page = (item) => Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()])
});
//# sourceMappingURL=common.js.map