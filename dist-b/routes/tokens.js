import { errorResponses } from '../schemas/common.js';
import { RefreshBody, TokenReply } from '../schemas/auth.js';
import { authRateLimits } from './auth-rate-limits.js';
const tokens = async (app) => {
    const { perAddress } = authRateLimits(app);
    app.post('/token/refresh', {
        schema: {
            summary: 'Exchange a refresh token for a new access and refresh token; the old one is retired',
            description: 'Presenting a retired refresh token again ends its whole session (token theft).',
            tags: ['accounts'], body: RefreshBody,
            response: { 200: TokenReply, ...errorResponses(400, 401, 413, 415, 429) }
        },
        config: perAddress
    }, async (request) => {
        const { token, expiresAt, refreshToken, refreshExpiresAt } = await app.auth.refresh(request.body.refreshToken);
        return { token, expiresAt, refreshToken, refreshExpiresAt };
    });
};
export default tokens;
//# sourceMappingURL=tokens.js.map