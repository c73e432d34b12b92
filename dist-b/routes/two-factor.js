import { Type } from '@sinclair/typebox';
import { errorResponses } from '../schemas/common.js';
import { RecoveryCodesBody, TwoFactorDisableBody, TwoFactorEnableBody, TwoFactorEnableReply, TwoFactorSetupReply, TwoFactorStatus } from '../schemas/auth.js';
import { AppError } from '../plugins/errors.js';
import { credentialCheckLimit } from './auth-rate-limits.js';
const tags = ['two-factor'];
const security = [{ bearer: [] }];
const twoFactor = async (app) => {
    app.addHook('onRequest', app.authenticate);
    const credentialLimit = credentialCheckLimit(app);
    app.get('/me/2fa', {
        schema: { summary: 'Whether 2FA is on, and how many recovery codes are left', tags, security, response: { 200: TwoFactorStatus, ...errorResponses(401, 429) } }
    }, async (request) => await app.auth.twoFactor.status(request.auth.userId));
    app.post('/me/2fa/setup', {
        schema: {
            summary: 'Start 2FA setup: a new TOTP secret and its otpauth:// URI, shown once',
            tags, security, response: { 200: TwoFactorSetupReply, ...errorResponses(401, 409, 429) }
        }
    }, async (request) => await app.auth.twoFactor.setup(request.auth.userId));
    app.post('/me/2fa/enable', {
        schema: {
            summary: 'Confirm setup with a current code and the password: 2FA turns on and one-time recovery codes are returned, once',
            tags, security, body: TwoFactorEnableBody,
            response: { 200: TwoFactorEnableReply, ...errorResponses(400, 401, 409, 413, 415, 423, 429) }
        },
        config: credentialLimit
    }, async (request) => {
        const { userId } = request.auth;
        if ((await app.auth.twoFactor.status(userId)).enabled)
            throw new AppError('two_factor_already_enabled');
        await app.auth.verifyUserCredentials(userId, { password: request.body.password });
        return await app.auth.twoFactor.enable(userId, request.body.code);
    });
    app.post('/me/2fa/recovery-codes', {
        schema: {
            summary: 'New one-time recovery codes in place of all earlier ones (password and a TOTP or recovery code), shown once',
            tags, security, body: RecoveryCodesBody,
            response: { 200: TwoFactorEnableReply, ...errorResponses(400, 401, 409, 413, 415, 423, 429) }
        },
        config: credentialLimit
    }, async (request) => {
        const { userId } = request.auth;
        if (!(await app.auth.twoFactor.status(userId)).enabled)
            throw new AppError('two_factor_not_enabled');
        await app.auth.verifyUserCredentials(userId, request.body);
        return await app.auth.twoFactor.regenerateRecoveryCodes(userId);
    });
    app.post('/me/2fa/disable', {
        schema: {
            summary: 'Turn 2FA off (password and a TOTP or recovery code)',
            tags, security, body: TwoFactorDisableBody,
            response: { 204: Type.Null({ description: '2FA is off' }), ...errorResponses(400, 401, 409, 413, 415, 423, 429) }
        },
        config: credentialLimit
    }, async (request, reply) => {
        const { userId } = request.auth;
        // Checked before the credentials, so a user without 2FA hears that rather than a code error.
        if (!(await app.auth.twoFactor.status(userId)).enabled)
            throw new AppError('two_factor_not_enabled');
        await app.auth.verifyUserCredentials(userId, request.body);
        await app.auth.twoFactor.disable(userId);
        return reply.code(204).send(null);
    });
};
export default twoFactor;
//# sourceMappingURL=two-factor.js.map