import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import { errorResponses } from '../schemas/common.js';
import { AppError } from '../plugins/errors.js';
const Status = Type.Object({ status: Type.String() });
const health = async (app) => {
    app.get('/healthz', {
        schema: { summary: 'The process is alive', tags: ['health'], response: { 200: Status } },
        config: { rateLimit: false }
    }, async () => ({ status: 'ok' }));
    app.get('/readyz', {
        schema: { summary: 'The database answers', tags: ['health'], response: { 200: Status, ...errorResponses(503) } },
        config: { rateLimit: false }
    }, async (request) => {
        try {
            await sql `select 1`.execute(app.db);
        }
        catch (err) {
            request.log.error({ err }, 'database not ready');
            throw new AppError('unavailable', 'The database does not answer');
        }
        return { status: 'ready' };
    });
};
export default health;
//# sourceMappingURL=health.js.map