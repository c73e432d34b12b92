import { Type } from '@sinclair/typebox';
import { Page, PageQuery, errorResponses } from '../schemas/common.js';
import { DeviceSession, RevokedReply, SessionParams } from '../schemas/auth.js';
import { AppError } from '../plugins/errors.js';
const tags = ['sessions'];
const security = [{ bearer: [] }];
const sessions = async (app) => {
    app.addHook('onRequest', app.authenticate);
    app.get('/me/sessions', {
        schema: {
            summary: "The caller's signed-in sessions (devices), newest first",
            tags, security, querystring: PageQuery,
            response: { 200: Page(DeviceSession), ...errorResponses(400, 401, 429) }
        }
    }, async (request) => {
        const { userId, sessionId } = request.auth;
        const user = await app.auth.findUserById(userId);
        if (user === undefined)
            throw new AppError('session_revoked');
        return await app.auth.sessions.list(userId, sessionId, app.auth.storesMetadata(user), request.query.limit, request.query.cursor);
    });
    app.delete('/me/sessions/:id', {
        schema: {
            summary: 'Sign one session out; its live sockets close at once',
            tags, security, params: SessionParams,
            response: { 204: Type.Null({ description: 'Signed out' }), ...errorResponses(400, 401, 404, 429) }
        }
    }, async (request, reply) => {
        await app.auth.sessions.revoke(request.auth.userId, request.params.id, await app.auth.storableIp(request.auth.userId, request.ip));
        return reply.code(204).send(null);
    });
    app.delete('/me/sessions', {
        schema: {
            summary: 'Sign every session out but the current one',
            tags, security, response: { 200: RevokedReply, ...errorResponses(401, 429) }
        }
    }, async (request) => {
        const { userId, sessionId } = request.auth;
        return { revoked: await app.auth.sessions.revokeOthers(userId, sessionId, await app.auth.storableIp(request.auth.userId, request.ip)) };
    });
};
export default sessions;
//# sourceMappingURL=sessions.js.map