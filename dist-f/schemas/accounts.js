import { Type } from '@sinclair/typebox';
import { PublicKey, Timestamp, UserId, Username } from './common.js';
import { DeviceLabel, SecondFactorCode, SigningKeyText, TokenFields } from './auth.js';
/** Settings a user controls; stored as JSON in users.security_settings. */
export const UserSettings = Type.Object({
    /** Whether other users see this user online. */
    presenceVisible: Type.Boolean({ default: true }),
    /** Whether IP addresses and user agents may be stored for this user's sessions and events. */
    storeConnectionMetadata: Type.Boolean({ default: false })
}, { $id: 'UserSettings' });
// Passwords and keys are checked by the handler, so the reply can say precisely what is wrong.
const Password = Type.String({ minLength: 1, maxLength: 1024 });
export const RegisterBody = Type.Object({
    username: Username,
    password: Password,
    publicKey: Type.String({ minLength: 1, maxLength: 256, description: PublicKey.description }),
    signingKey: Type.Optional(SigningKeyText)
}, { additionalProperties: false });
export const UserRef = Type.Object({ id: UserId, username: Type.String() }, { $id: 'UserRef' });
export const LoginBody = Type.Object({
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Password,
    totp: Type.Optional(SecondFactorCode),
    deviceLabel: Type.Optional(DeviceLabel)
}, { additionalProperties: false });
export const LoginReply = Type.Object({
    ...TokenFields,
    user: Type.Ref(UserRef),
    passwordChangedAt: Timestamp,
    passwordChangeDue: Type.Boolean({ description: 'The password is older than PASSWORD_REMINDER_AGE: suggest changing it' })
});
export const PublicKeyReply = Type.Object({
    userId: UserId,
    publicKey: PublicKey,
    keyRotationDate: Timestamp
});
export const OnlineUser = Type.Object({ userId: UserId, username: Type.String() });
//# sourceMappingURL=accounts.js.map