import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import pkg from '../package.json' with { type: 'json' };
import { asyncApiDocument } from './relay/asyncapi-document.js';
/**
 * The OpenAPI 3 document, generated from the route schemas, served at /docs/json (shared schemas
 * keep their `$id` as their component name), and the AsyncAPI document of the WebSocket protocol,
 * generated from the frame schemas, at /docs/asyncapi.json.
 */
export default fp(async function openapiPlugin(app) {
    await app.register(swagger, {
        openapi: {
            openapi: '3.0.3',
            info: { title: 'quietwire', description: pkg.description, version: pkg.version },
            components: {
                securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } }
            }
        },
        refResolver: {
            buildLocalReference: (json, _baseUri, _fragment, i) => typeof json.$id === 'string' ? json.$id : `def-${i}`
        }
    });
    app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());
    const asyncApi = asyncApiDocument({ version: pkg.version, maxCiphertextBytes: app.config.RELAY_MAX_CIPHERTEXT_BYTES });
    app.get('/docs/asyncapi.json', { schema: { hide: true } }, async () => asyncApi);
}, { name: 'openapi', dependencies: ['schemas'] });
//# sourceMappingURL=openapi.js.map