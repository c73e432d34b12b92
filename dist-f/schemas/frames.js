import { Type } from '@sinclair/typebox';
import { Base64Bytes, Timestamp, UserId } from './common.js';
import { ERRORS } from '../plugins/errors.js';
/**
 * The relay's frames: the one source the server validates with (compiled once), that
 * docs/PROTOCOL.md describes and that scripts/asyncapi.ts publishes. Every frame is a JSON text
 * frame `{type, ref?, data}`; `ref` is the client's reference, echoed on the reply.
 */
/** Default largest ciphertext in bytes (RELAY_MAX_CIPHERTEXT_BYTES). */
export const DEFAULT_MAX_CIPHERTEXT_BYTES = 65536;
/**
 * The base64 alphabet and `=`: `^[A-Za-z0-9+/=]*$`, written as "no character outside it" because
 * V8 runs the anchored form about six times slower (it keeps a backtracking point per character
 * of the run). Where `=` may stand (at most two, at the end) the relay checks with `indexOf`
 * (`wellPadded` in plugins/relay/frame-validator.ts): folded into the pattern as two more
 * alternatives it cost 1.3-1.6 us on 1 KiB of ciphertext, against 0.85-0.9 us for both steps.
 * test/relay/units.test.ts holds the two together to `^[A-Za-z0-9+/]*={0,2}$`.
 */
export const BASE64_PATTERN = '^(?![^]*?[^A-Za-z0-9+/=])';
/**
 * Standard padded base64 of 1 to `maxBytes` bytes. The length must also be a multiple of 4, which
 * JSON Schema cannot say: the relay checks it with the padding and the exact byte count (a
 * simpler pattern than one spelling out the groups of 4, which is slower still). The pattern does
 * not place the `=`, so the description says where it may stand.
 */
export function Base64Up(maxBytes, description) {
    return Type.String({
        minLength: 4,
        maxLength: Math.ceil(maxBytes / 3) * 4,
        pattern: BASE64_PATTERN,
        description: `${description}; length a multiple of 4, \`=\` only as the last one or two characters`
    });
}
export const Ref = Type.Union([
    Type.String({ minLength: 1, maxLength: 64 }),
    Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })
], { description: 'Client reference, echoed on the reply (ack or error)' });
export const Nonce = Base64Bytes(24, 'crypto_box nonce (24 bytes, base64)');
export const Mac = Base64Bytes(16, 'Poly1305 authentication tag (16 bytes, base64)');
export const EphemeralKey = Base64Bytes(32, 'Ephemeral Curve25519 public key of the sender (32 bytes, base64)');
export const MessageId = Type.String({ format: 'uuid', description: "The server's id of a message" });
export const PresenceStatus = Type.Union([Type.Literal('online'), Type.Literal('offline')]);
// client -> server
export const AuthData = Type.Object({
    token: Type.String({ minLength: 1, maxLength: 4096, description: 'Bearer token from POST /api/login' })
}, { additionalProperties: false });
/** The envelope of a private message as the sender writes it (also the stored envelope). */
export function PrivateMessageIn(maxCiphertextBytes = DEFAULT_MAX_CIPHERTEXT_BYTES) {
    return Type.Object({
        recipientId: UserId,
        message: Base64Up(maxCiphertextBytes, `Ciphertext (detached crypto_box), base64, up to ${maxCiphertextBytes} bytes`),
        nonce: Nonce,
        mac: Mac,
        ephemeralKey: EphemeralKey,
        timestamp: Timestamp
    }, { additionalProperties: false });
}
export const PresenceUpdateData = Type.Object({
    status: PresenceStatus,
    timestamp: Timestamp
}, { additionalProperties: false });
export const AckIn = Type.Object({
    id: MessageId
}, { additionalProperties: false });
// server -> client
export function PrivateMessageOut(maxCiphertextBytes = DEFAULT_MAX_CIPHERTEXT_BYTES) {
    return Type.Object({
        id: MessageId,
        seq: Type.Integer({ minimum: 1, description: 'Per-recipient sequence number: +1 for every message to this user; a gap not announced by `dropped` is a bug' }),
        senderId: UserId,
        message: Base64Up(maxCiphertextBytes, 'Ciphertext, base64'),
        nonce: Nonce,
        mac: Mac,
        ephemeralKey: EphemeralKey,
        timestamp: Timestamp
    }, { additionalProperties: false });
}
export const UserPresenceData = Type.Object({
    userId: UserId,
    status: PresenceStatus,
    timestamp: Timestamp
}, { additionalProperties: false });
export const AckOut = Type.Union([
    Type.Object({
        id: MessageId,
        status: Type.Union([Type.Literal('delivered'), Type.Literal('queued')], {
            description: 'delivered: a device of the recipient acked it; queued: stored until the recipient connects'
        })
    }, { additionalProperties: false }),
    Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false, description: 'Reply to a presence_update that carried a ref' })
]);
export const ErrorData = Type.Object({
    code: Type.Union(Object.keys(ERRORS).map((c) => Type.Literal(c))),
    field: Type.Optional(Type.String({ description: 'The offending field, e.g. `nonce` or `type`' })),
    message: Type.String()
}, { additionalProperties: false });
export const DroppedData = Type.Object({
    count: Type.Integer({ minimum: 1, description: 'How many undelivered messages were dropped (expired, or over the queue quota)' })
}, { additionalProperties: false });
export const KeyChangedData = Type.Object({
    userId: UserId,
    publicKey: Base64Bytes(32, 'Curve25519 public key (32 bytes, base64)'),
    keyRotationDate: Timestamp
}, { additionalProperties: false });
export const ReadyData = Type.Object({
    userId: UserId,
    heartbeatMs: Type.Integer({ minimum: 1, description: 'The server pings this often; answer with pong (browsers do)' })
}, { additionalProperties: false });
/** Every client -> server frame type with its data schema. */
export function clientFrames(maxCiphertextBytes = DEFAULT_MAX_CIPHERTEXT_BYTES) {
    return {
        auth: { data: AuthData, summary: 'First frame when no Authorization header was sent (native transport only)' },
        private_message: { data: PrivateMessageIn(maxCiphertextBytes), summary: 'Send ciphertext to a user', reply: 'ack or error' },
        presence_update: { data: PresenceUpdateData, summary: 'Appear online or offline (offline keeps receiving)', reply: 'ack {status:"ok"} when ref is set, or error' },
        ack: { data: AckIn, summary: 'Confirm receipt of a private_message by id; the server then forgets it' }
    };
}
/** Every server -> client frame type with its data schema. */
export function serverFrames(maxCiphertextBytes = DEFAULT_MAX_CIPHERTEXT_BYTES) {
    return {
        ready: { data: ReadyData, summary: 'Authenticated (native transport); queued messages follow' },
        private_message: { data: PrivateMessageOut(maxCiphertextBytes), summary: 'A message for you; ack it by id' },
        user_presence: { data: UserPresenceData, summary: 'Another user went online or offline' },
        ack: { data: AckOut, summary: 'Reply to your private_message (with its ref)' },
        error: { data: ErrorData, summary: 'A frame was refused (with its ref when it had one)' },
        dropped: { data: DroppedData, summary: 'Undelivered messages to you were dropped; this says how many' },
        key_changed: { data: KeyChangedData, summary: 'A user published a new public key' }
    };
}
/** The envelope of a client frame; `token` is accepted at the top level of `auth` only. */
export const ClientEnvelope = Type.Object({
    type: Type.String({ minLength: 1, maxLength: 64 }),
    ref: Type.Optional(Ref),
    data: Type.Optional(Type.Unknown()),
    token: Type.Optional(Type.Unknown())
}, { additionalProperties: false });
//# sourceMappingURL=frames.js.map