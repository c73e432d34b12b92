import fp from 'fastify-plugin';
import { sharedSchemas } from '../schemas/index.js';
/** Adds the named shared schemas before any route refers to them. */
export default fp(async function schemasPlugin(app) {
    for (const schema of sharedSchemas)
        app.addSchema(schema);
}, { name: 'schemas' });
//# sourceMappingURL=schemas.js.map