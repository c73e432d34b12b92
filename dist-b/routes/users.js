import { Type } from '@sinclair/typebox';
import { Page, PageQuery, UserId, errorResponses } from '../schemas/common.js';
import { OnlineUser, PublicKeyReply } from '../schemas/accounts.js';
import { AppError } from '../plugins/errors.js';
const users = async (app) => {
    app.addHook('onRequest', app.authenticate);
    app.get('/users/online', {
        schema: {
            summary: 'Users online now who show their presence', tags: ['users'], security: [{ bearer: [] }],
            querystring: PageQuery,
            response: { 200: Page(OnlineUser), ...errorResponses(400, 401, 429) }
        }
    }, async (request) => app.presence.list(request.query.limit, request.query.cursor));
    app.get('/users/:userId/key', {
        schema: {
            summary: "A user's public key, for end-to-end encryption", tags: ['users'], security: [{ bearer: [] }],
            params: Type.Object({ userId: UserId }),
            response: { 200: PublicKeyReply, ...errorResponses(400, 401, 404, 429) }
        }
    }, async (request) => {
        const user = await app.auth.findUserById(request.params.userId);
        if (user === undefined)
            throw new AppError('not_found', 'No such user');
        return { userId: user.id, publicKey: user.public_key, keyRotationDate: user.key_rotation_date };
    });
};
export default users;
//# sourceMappingURL=users.js.map