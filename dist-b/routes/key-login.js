import { errorResponses } from '../schemas/common.js';
import { LoginReply } from '../schemas/accounts.js';
import { ChallengeBody, ChallengeReply, KeyLoginBody } from '../schemas/auth.js';
import { authRateLimits } from './auth-rate-limits.js';
const keyLogin = async (app) => {
    const { perAddress, limitPerUsername } = authRateLimits(app);
    app.post('/auth/challenge', {
        schema: {
            summary: 'A single-use challenge to sign for key-pair login',
            description: 'Issued for any username, known or not, so the answer reveals nothing.',
            tags: ['accounts'], body: ChallengeBody,
            response: { 200: ChallengeReply, ...errorResponses(400, 413, 415, 429) }
        },
        config: perAddress,
        preHandler: limitPerUsername
    }, async (request) => await app.auth.keyLogin.challenge(request.body.username));
    app.post('/auth/key-login', {
        schema: {
            summary: 'Sign in with an Ed25519 signature of a challenge (and a TOTP or recovery code when 2FA is on)',
            tags: ['accounts'], body: KeyLoginBody,
            response: { 200: LoginReply, ...errorResponses(400, 401, 413, 415, 423, 429) }
        },
        config: perAddress,
        preHandler: limitPerUsername
    }, async (request) => {
        const { sessionId, ...reply } = await app.auth.keyLogin.login(request.body, { ip: request.ip, userAgent: request.headers['user-agent'] });
        return reply;
    });
};
export default keyLogin;
//# sourceMappingURL=key-login.js.map