import { Type } from '@sinclair/typebox';
import { Page, errorResponses } from '../schemas/common.js';
import { DeleteAccountBody, ExportDocument, PrivacySettings, Profile, SecurityEventItem, SecurityEventsQuery, SettingsPatch } from '../schemas/me.js';
import { seconds } from '../plugins/config.js';
/** The caller's own account: profile, privacy settings, security events, export and deletion. */
const me = async (app) => {
    app.addHook('onRequest', app.authenticate);
    const security = [{ bearer: [] }];
    // Deletion checks the password: as strict as a login, so a stolen token cannot guess it.
    const credentialLimit = { rateLimit: { max: app.config.AUTH_RATE_LIMIT_MAX, timeWindow: seconds(app.config.RATE_LIMIT_WINDOW) * 1000 } };
    app.get('/me', {
        schema: { summary: 'Your profile and settings', tags: ['me'], security, response: { 200: Profile, ...errorResponses(401, 429) } }
    }, async (request) => await app.retention.profile(request.auth.userId));
    app.patch('/me/settings', {
        schema: {
            summary: 'Change your privacy settings', tags: ['me'], security, body: SettingsPatch,
            response: { 200: PrivacySettings, ...errorResponses(400, 401, 413, 415, 429) }
        }
    }, async (request) => await app.retention.updateSettings(request.auth.userId, request.body));
    app.get('/me/security-events', {
        schema: {
            summary: 'Your security events, newest first', tags: ['me'], security, querystring: SecurityEventsQuery,
            response: { 200: Page(SecurityEventItem), ...errorResponses(400, 401, 429) }
        }
    }, async (request) => {
        const { limit, cursor } = request.query;
        const items = await app.audit.listForUser(request.auth.userId, limit + 1, cursor === undefined ? undefined : Number(cursor));
        const page = items.slice(0, limit);
        return { items: page, nextCursor: items.length > limit ? String(page[page.length - 1].id) : null };
    });
    app.get('/me/export', {
        schema: {
            summary: 'Everything stored about you, as one JSON document', tags: ['me'], security,
            response: { 200: ExportDocument, ...errorResponses(401, 429) }
        }
    }, async (request, reply) => {
        const document = await app.retention.exportData(request.auth.userId, request.auth.sessionId);
        return reply.header('content-disposition', 'attachment; filename="quietwire-export.json"').header('cache-control', 'no-store').send(document);
    });
    app.delete('/me', {
        schema: {
            summary: 'Delete your account and everything stored about you', tags: ['me'], security, body: DeleteAccountBody,
            response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(400, 401, 413, 415, 429) }
        },
        config: credentialLimit
    }, async (request, reply) => {
        const { userId } = request.auth;
        await app.auth.verifyUserCredentials(userId, { password: request.body.password, code: request.body.code });
        await app.retention.deleteAccount(userId);
        return reply.code(204).send(null);
    });
};
export default me;
//# sourceMappingURL=me.js.map