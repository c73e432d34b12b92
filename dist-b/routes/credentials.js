import { errorResponses } from '../schemas/common.js';
import { KeyBody, KeyReply, PasswordChangeBody, PasswordChangeReply, SigningKeyBody, SigningKeyReply } from '../schemas/auth.js';
import { credentialCheckLimit } from './auth-rate-limits.js';
const tags = ['accounts'];
const security = [{ bearer: [] }];
const credentials = async (app) => {
    app.addHook('onRequest', app.authenticate);
    const credentialLimit = credentialCheckLimit(app);
    app.put('/me/key', {
        schema: {
            summary: 'Rotate the E2EE public key; online contacts receive a key_changed frame',
            tags, security, body: KeyBody,
            response: { 200: KeyReply, ...errorResponses(400, 401, 413, 415, 429) }
        }
    }, async (request) => await app.auth.credentials.rotateKey(request.auth.userId, request.body.publicKey));
    app.put('/me/signing-key', {
        schema: {
            summary: 'Set (or with null remove) the Ed25519 key for key-pair login; takes the password and 2FA code',
            tags, security, body: SigningKeyBody,
            response: { 200: SigningKeyReply, ...errorResponses(400, 401, 413, 415, 423, 429) }
        },
        config: credentialLimit
    }, async (request) => {
        const { signingKey, password, code } = request.body;
        return await app.auth.credentials.setSigningKey(request.auth.userId, { password, code }, signingKey);
    });
    app.post('/me/password', {
        schema: {
            summary: 'Change the password (same policy as registration); every other session is signed out',
            tags, security, body: PasswordChangeBody,
            response: { 200: PasswordChangeReply, ...errorResponses(400, 401, 413, 415, 423, 429) }
        },
        config: credentialLimit
    }, async (request) => {
        const { userId, sessionId } = request.auth;
        return await app.auth.credentials.changePassword(userId, sessionId, request.body);
    });
};
export default credentials;
//# sourceMappingURL=credentials.js.map