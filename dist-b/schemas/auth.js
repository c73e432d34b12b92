import { Type } from '@sinclair/typebox';
import { Base64Bytes, PublicKey, Timestamp } from './common.js';
/** Schemas of account security: 2FA, key-pair login, refresh tokens, sessions, credential changes. */
// Keys and codes are checked by the handler, so the reply can say precisely what is wrong.
const Password = Type.String({ minLength: 1, maxLength: 1024 });
export const SecondFactorCode = Type.String({ minLength: 1, maxLength: 64, description: 'A TOTP code, or a recovery code (each works once)' });
export const SigningKeyText = Type.String({ minLength: 1, maxLength: 256, description: 'Ed25519 public key for key-pair login (32 bytes, base64)' });
export const DeviceLabel = Type.String({ minLength: 1, maxLength: 64, description: 'Shown in the session list' });
const Ms = (description) => Type.Integer({ minimum: 0, description: `${description} (ms since the epoch)` });
const Opaque = (description) => Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description });
/** The tokens of a sign-in or a refresh. */
export const TokenFields = {
    token: Type.String({ description: 'Access token (JWT) for the Authorization header' }),
    expiresAt: Ms('When the access token expires'),
    refreshToken: Type.Optional(Opaque('Opaque refresh token, single use (absent in single-token mode)')),
    refreshExpiresAt: Type.Optional(Ms('When the session ends, and the refresh token with it'))
};
export const RefreshBody = Type.Object({ refreshToken: Opaque('The latest refresh token') }, { additionalProperties: false });
export const TokenReply = Type.Object(TokenFields);
export const ChallengeBody = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
export const ChallengeReply = Type.Object({
    challenge: Opaque('Sign the UTF-8 bytes of "quietwire-key-login:" followed by this challenge'),
    expiresAt: Timestamp
});
export const KeyLoginBody = Type.Object({
    username: Type.String({ minLength: 1, maxLength: 64 }),
    challenge: Opaque('The challenge from /api/auth/challenge'),
    signature: Base64Bytes(64, 'Ed25519 signature (64 bytes, base64)'),
    totp: Type.Optional(SecondFactorCode),
    deviceLabel: Type.Optional(DeviceLabel)
}, { additionalProperties: false });
export const TwoFactorSetupReply = Type.Object({
    secret: Type.String({ description: 'Base32 secret for manual entry; shown once' }),
    uri: Type.String({ description: 'otpauth:// URI for a QR code; shown once' })
});
// The password too: otherwise a stolen access token could turn 2FA on with the thief's secret
// and lock the owner out.
export const TwoFactorEnableBody = Type.Object({ code: SecondFactorCode, password: Password }, { additionalProperties: false });
export const TwoFactorEnableReply = Type.Object({
    recoveryCodes: Type.Array(Type.String(), { description: 'One-time codes for when the authenticator is lost; shown once' })
});
export const TwoFactorDisableBody = Type.Object({ password: Password, code: SecondFactorCode }, { additionalProperties: false });
export const RecoveryCodesBody = TwoFactorDisableBody;
export const TwoFactorStatus = Type.Object({ enabled: Type.Boolean(), recoveryCodesLeft: Type.Integer({ minimum: 0 }) });
export const KeyBody = Type.Object({
    publicKey: Type.String({ minLength: 1, maxLength: 256, description: PublicKey.description })
}, { additionalProperties: false });
export const KeyReply = Type.Object({ publicKey: PublicKey, keyRotationDate: Timestamp });
export const SigningKeyBody = Type.Object({
    signingKey: Type.Union([SigningKeyText, Type.Null()], { description: 'The new key, or null to remove key-pair login' }),
    password: Password,
    code: Type.Optional(SecondFactorCode)
}, { additionalProperties: false });
export const SigningKeyReply = Type.Object({ signingKey: Type.Union([Type.String(), Type.Null()]) });
export const PasswordChangeBody = Type.Object({
    currentPassword: Password,
    newPassword: Password,
    code: Type.Optional(SecondFactorCode)
}, { additionalProperties: false });
export const PasswordChangeReply = Type.Object({
    lastPasswordChange: Timestamp,
    sessionsEnded: Type.Integer({ minimum: 0, description: 'Other sessions that were signed out' })
});
const NullableText = (description) => Type.Union([Type.String(), Type.Null()], { description });
export const DeviceSession = Type.Object({
    id: Type.String({ format: 'uuid' }),
    createdAt: Timestamp,
    lastActivity: Timestamp,
    expiresAt: Timestamp,
    deviceLabel: NullableText(),
    current: Type.Boolean({ description: 'The session of this request' }),
    ipAddress: Type.Optional(NullableText('Only while the user opts in to connection metadata')),
    userAgent: Type.Optional(NullableText('Only while the user opts in to connection metadata'))
});
export const SessionParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const RevokedReply = Type.Object({ revoked: Type.Integer({ minimum: 0 }) });
//# sourceMappingURL=auth.js.map