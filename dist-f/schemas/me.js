import { Type } from '@sinclair/typebox';
import { PublicKey, Timestamp, UserId } from './common.js';
/** What a user controls about what is kept of them. */
export const PrivacySettings = Type.Object({
    dataRetentionDays: Type.Integer({ minimum: 1, maximum: 365, description: 'Days queued ciphertext for you is kept undelivered' }),
    presenceVisible: Type.Boolean({ description: 'Whether others see you online' }),
    storeConnectionMetadata: Type.Boolean({ description: 'Whether your IP addresses and user agents may be stored (off by default)' })
});
export const SettingsPatch = Type.Partial(PrivacySettings, { additionalProperties: false, minProperties: 1 });
export const Profile = Type.Object({
    id: UserId,
    username: Type.String(),
    createdAt: Timestamp,
    lastSeen: Type.Union([Timestamp, Type.Null()]),
    publicKey: PublicKey,
    keyRotationDate: Timestamp,
    lastPasswordChange: Timestamp,
    twoFactorEnabled: Type.Boolean(),
    settings: PrivacySettings
});
export const DeleteAccountBody = Type.Object({
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The two-factor code, when two-factor authentication is on' }))
}, { additionalProperties: false });
export const SecurityEventItem = Type.Object({
    id: Type.Integer(),
    type: Type.String(),
    data: Type.Record(Type.String(), Type.Unknown()),
    ip: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp
});
export const SecurityEventsQuery = Type.Object({
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
    cursor: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$', description: 'nextCursor of the previous page' }))
}, { additionalProperties: false });
export const ExportDocument = Type.Object({
    exportedAt: Timestamp,
    profile: Profile,
    settings: PrivacySettings,
    keys: Type.Array(Type.Object({ publicKey: PublicKey, type: Type.String(), createdAt: Timestamp })),
    sessions: Type.Array(Type.Object({
        id: Type.String(),
        createdAt: Timestamp,
        expiresAt: Timestamp,
        lastActivity: Timestamp,
        ipAddress: Type.Union([Type.String(), Type.Null()]),
        userAgent: Type.Union([Type.String(), Type.Null()]),
        deviceLabel: Type.Union([Type.String(), Type.Null()]),
        deliveredUpTo: Type.Union([Type.Integer(), Type.Null()], { description: 'As a relay device: the seq up to which it has received your messages (null: never connected)' }),
        valid: Type.Boolean(),
        current: Type.Boolean()
    })),
    securityEvents: Type.Array(Type.Object({
        id: Type.Integer(),
        type: Type.String(),
        data: Type.Unknown(),
        ip: Type.Union([Type.String(), Type.Null()]),
        createdAt: Timestamp,
        seq: Type.Integer({ description: 'Position in your audit chain' }),
        hash: Type.String({ description: 'The chain hash of this event' })
    })),
    auditChain: Type.Union([Type.Object({ headSeq: Type.Integer(), headHash: Type.String() }), Type.Null()]),
    queuedMessages: Type.Array(Type.Unknown(), { description: 'Ciphertext waiting for you, as the relay stores it' })
});
//# sourceMappingURL=me.js.map