import { Type } from '@sinclair/typebox';
import { errorResponses } from '../schemas/common.js';
import { LoginBody, LoginReply, RegisterBody, UserRef } from '../schemas/accounts.js';
import { authRateLimits } from './auth-rate-limits.js';
const accounts = async (app) => {
    const { perAddress, limitPerUsername } = authRateLimits(app);
    app.post('/register', {
        schema: {
            summary: 'Create an account', tags: ['accounts'], body: RegisterBody,
            response: { 201: Type.Ref(UserRef), ...errorResponses(400, 409, 413, 415, 429) }
        },
        config: perAddress,
        preHandler: limitPerUsername
    }, async (request, reply) => {
        const user = await app.auth.register(request.body);
        return reply.code(201).send(user);
    });
    app.post('/login', {
        schema: {
            summary: 'Sign in with a password (and a TOTP or recovery code when 2FA is on)', tags: ['accounts'], body: LoginBody,
            response: { 200: LoginReply, ...errorResponses(400, 401, 413, 415, 423, 429) }
        },
        config: perAddress,
        preHandler: limitPerUsername
    }, async (request) => {
        const { sessionId, ...reply } = await app.auth.login(request.body, { ip: request.ip, userAgent: request.headers['user-agent'] });
        return reply;
    });
    app.post('/logout', {
        schema: {
            summary: 'End the current session', tags: ['accounts'], security: [{ bearer: [] }],
            response: { 204: Type.Null({ description: 'Signed out' }), ...errorResponses(401, 429) }
        },
        onRequest: app.authenticate
    }, async (request, reply) => {
        await app.auth.logout(request.auth);
        return reply.code(204).send(null);
    });
};
export default accounts;
//# sourceMappingURL=accounts.js.map